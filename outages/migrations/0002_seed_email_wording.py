from django.db import migrations

WORDING = [
    (
        "declared",
        "We know about it: {title}",
        "Thank you for your ticket. Many people reported the same problem, and we are already working on it:",
        "You do not need to do anything or submit another ticket. We will email you when it changes, and again "
        "when it is fixed; your ticket is then closed.",
    ),
    (
        "update",
        "Update: {title}",
        "Here is the latest on the problem you reported or said you are affected by:",
        "We will email you again when it changes or is fixed. Please do not submit a ticket for it.",
    ),
    (
        "resolved",
        "Fixed: {title}",
        "The problem you reported or said you are affected by is fixed:",
        "If it is not working for you now, please reply to this email or submit a new ticket, and tell us what you "
        "see. Any ticket you had for it is now closed.",
    ),
]


def seed(apps, schema_editor):
    Wording = apps.get_model("outages", "OutageEmailWording")
    for kind, subject, opening, closing in WORDING:
        Wording.objects.get_or_create(kind=kind, defaults={"subject": subject, "opening": opening, "closing": closing})


class Migration(migrations.Migration):
    dependencies = [("outages", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
