from django.db import migrations

SCHOOLS = [
    "North Panola High School",
    "North Panola Junior High School",
    "Green Hill Elementary School",
    "Crenshaw Elementary School",
    "North Panola Career and Technical Center",
    "District Office",
]
TICKET_TYPES = [
    "Hardware",
    "Software",
    "Network / Internet",
    "Wireless",
    "Email",
    "Password",
    "Printer",
    "Interactive board / Projector",
    "Testing",
    "Instructional program / Professional development",
    "Other",
]


def seed(apps, schema_editor):
    School = apps.get_model("tickets", "School")
    TicketType = apps.get_model("tickets", "TicketType")
    TicketNumberCounter = apps.get_model("tickets", "TicketNumberCounter")
    for order, name in enumerate(SCHOOLS, start=1):
        School.objects.get_or_create(name=name, defaults={"order": order * 10})
    for order, name in enumerate(TICKET_TYPES, start=1):
        TicketType.objects.get_or_create(name=name, defaults={"order": order * 10})
    TicketNumberCounter.objects.get_or_create(pk=1, defaults={"last_number": 1000})


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
