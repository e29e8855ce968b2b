"""Three example articles for the district's most repeated questions, unpublished, so an admin sees the shape."""

from django.db import migrations

ARTICLES = [
    {
        "title": "Projector or board says “No signal”",
        "slug": "projector-no-signal",
        "types": ["Interactive board / Projector"],
        "keywords": "no signal\nno input\nblue screen\nHDMI\nVGA\nscreen is blank\ndisplay",
        "body": """Most “No signal” messages come from the cable or the input, and you can fix them in a minute.

1. Check that the computer is awake: move the mouse or press a key.
2. Press **Source** or **Input** on the projector's remote (or the board's panel) until it shows **HDMI 1**,
   **HDMI 2** or **Computer**, whichever your cable is plugged into.
3. Check both ends of the HDMI (or VGA) cable: unplug it, plug it back in firmly, and wait ten seconds.
4. On a laptop, press **Windows + P** and choose **Duplicate**. On a Chromebook, press **Ctrl + Full screen**
   (the key with a rectangle and two lines) to mirror the screen.
5. Turn the projector off, wait until the fan stops, and turn it on again.

## Still no picture?
Submit a ticket with your school, classroom number, the projector's make if you can see it, and what the screen
shows. A blinking orange or red light usually means the lamp needs replacing: please say so in the ticket.
Note that the department does not purchase bulbs or cables; ask your building administrator about buying them.
""",
    },
    {
        "title": "Chromebook will not charge or turn on",
        "slug": "chromebook-will-not-charge",
        "types": ["Hardware"],
        "keywords": "chromebook\nwon't charge\nnot charging\nbattery\ndead\nwill not turn on\ncharger",
        "body": """Try these steps before submitting a ticket.

1. Plug the charger into a wall outlet you know works (not a power strip that is switched off).
2. Check the light beside the charging port: it should turn orange (charging) or white/blue (full).
   Leave the Chromebook plugged in for **at least 30 minutes** before trying to turn it on.
3. Try a different district charger of the same kind, if one is in your classroom.
4. Hold the **Refresh** key (the circular arrow) and press **Power** to restart it.

## Still not charging?
Submit a ticket with the Chromebook's asset tag number (the sticker on the bottom), your school and classroom,
and what the light does. Personal devices are not repaired by the Technology Department.
""",
    },
    {
        "title": "Printer is offline or will not print",
        "slug": "printer-offline",
        "types": ["Printer"],
        "keywords": "printer offline\nwill not print\nprint queue\nstuck\npaper jam\nnot printing",
        "body": """A printer that shows as **Offline** is usually asleep, out of paper, or lost its connection.

1. Look at the printer's own screen: clear any paper jam and close every door and tray.
2. Turn the printer off, wait 30 seconds, and turn it on again. Wait until it says **Ready**.
3. On your computer, open **Settings > Printers & scanners**, choose the printer, open the print queue and
   cancel any stuck documents, then print again.
4. Check that you chose the right printer: the name usually includes the room number.

## Still offline?
Submit a ticket with the printer's name (or the room it is in), your school, and any message on its screen.
The department does not purchase ink, toner or printers.
""",
    },
]


def seed(apps, schema_editor):
    HelpArticle = apps.get_model("helparticles", "HelpArticle")
    TicketType = apps.get_model("district", "TicketType")
    for data in ARTICLES:
        article, created = HelpArticle.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "keywords": data["keywords"],
                "body": data["body"],
                "is_published": False,
            },
        )
        if created:
            article.ticket_types.set(TicketType.objects.filter(name__in=data["types"]))


def unseed(apps, schema_editor):
    apps.get_model("helparticles", "HelpArticle").objects.filter(
        slug__in=[data["slug"] for data in ARTICLES], is_published=False
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("helparticles", "0001_initial"),
        ("district", "0001_initial"),
        ("tickets", "0021_move_school_type_to_district"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
