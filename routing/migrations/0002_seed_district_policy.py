"""The Technology Department policy as rows, so a fresh install routes requests the way the policy says.

Admins change all of it in Django admin; this migration only loads the starting point.
"""

import uuid

from django.db import migrations

SITE = "https://www.northpanolaschools.org/"

CONTACTS = [
    {
        "name": "Towanda Mangrum",
        "email": "tmangrum@northpanolaschools.org",
        "handles": "SAM Spectra 7: password resets, account access, grades and other SAM questions.",
    },
    {
        "name": "Faye Robertson",
        "email": "frobertson@northpanolaschools.org",
        "handles": "Active Resources: password resets, account setup, access and other questions.",
    },
    {
        "name": "Maintenance Help Desk",
        "url": SITE,
        "handles": "Repairs that are not technology: heating, air conditioning, electrical, plumbing, floors, doors, "
        "windows and ceilings. Its icon is in the upper left corner of the district website.",
    },
    {
        "name": "Mass email requests",
        "email": "mass@northpanolaschools.org",
        "handles": "Mass emails about events, 7 to 10 business days before the event.",
    },
    {
        "name": "Media requests",
        "email": "mediatech@northpanolaschools.org",
        "handles": "Photographs, video and flyers for events, 5 to 7 business days before the event.",
    },
    {
        "name": "C. Malone (quotes)",
        "email": "cmalone@northpanolaschools.org",
        "handles": "Quotes for purchases, requested by building administrators and district office staff.",
    },
]

NOT_TECHNOLOGY = """account
password
login
computer
laptop
chromebook
printer
projector
board
monitor
screen
keyboard
mouse
internet
wifi
wireless
network
email
software
program
pop up
popup
pops up
browser
adapter
charger
caps lock
screen lock
num lock"""

RULES = [
    {
        "name": "SAM Spectra 7 questions",
        "order": 10,
        "action": "person",
        "contact": "Towanda Mangrum",
        "keywords": "SAM\nSpectra\nSpectra 7\nsam password\nsam account\nsam login\nsam grades\nsam gradebook",
        "message": "Questions about SAM Spectra 7, including password resets, account access and grades, are "
        "handled by Towanda Mangrum, not the technology help desk. Please send your request to her: the button "
        "below does it for you, with what you typed.",
    },
    {
        "name": "Active Resources questions",
        "order": 20,
        "action": "person",
        "contact": "Faye Robertson",
        "keywords": "Active Resources\nActiveResources",
        "message": "Questions about Active Resources, including password resets, account setup and access, are "
        "handled by Faye Robertson, not the technology help desk. Please send your request to her: the button "
        "below does it for you, with what you typed.",
    },
    {
        "name": "Maintenance requests",
        "order": 30,
        "action": "desk",
        "contact": "Maintenance Help Desk",
        "keywords": "heat\nheater\nheating\nair conditioning\nair conditioner\nAC\nA/C\nHVAC\nthermostat\n"
        "too hot\ntoo cold\nelectrical\nelectricity\noutlet\noutlets\nbreaker\nlights\nlight fixture\n"
        "ceiling light\nlights are out\nplumbing\ntoilet\ntoilets\nsink\nleak*\nfloor\nfloors\nfloor tile*\n"
        "carpet\ndoor\ndoors\ndoor lock\nlock\nlocks\nbroken window\nwindow is broken\ncracked window\n"
        "window will not\nwindow won't\nwindows are broken\nceiling\nceiling tile*",
        "unless_keywords": NOT_TECHNOLOGY,
        "message": "This sounds like a repair for the Maintenance Department, which has its own help desk; a "
        "technology ticket would only delay your repair. Please use the Maintenance Help Desk: its icon is in "
        "the upper left corner of the district website.",
    },
    {
        "name": "Quote requests",
        "order": 40,
        "action": "form",
        "request_form": "quote",
        "contact": "C. Malone (quotes)",
        "allowed_roles": "building_administrator,principal,district_office,superintendent",
        "keywords": "quote\nquotes\nprice quote\nquotation",
        "message": "Quotes are requested from C. Malone (cmalone@northpanolaschools.org), and only building "
        "administrators and district office staff who can make purchases may ask for one. Please use the quote "
        "request form: what you typed is carried over.",
    },
    {
        "name": "Equipment purchases",
        "order": 50,
        "action": "explain",
        "keywords": "buy\npurchase\npurchasing\nplace an order\nink\ntoner\nink cartridge*\nbulb\nbulbs\n"
        "projector bulb\nsplitter\nsplitters\nnew cable\nnew cables\nneed a cable\nneed cables\nextra cable*\n"
        "new computer\nnew computers\nnew printer\nnew printers\nnew board\nnew boards\nanother printer\n"
        "another computer",
        "message": "The Technology Department does not purchase boards, bulbs, cables, computers, ink, printers, "
        "splitters or similar items. You are welcome to use your EEF card, or ask your building administrator "
        "about buying them for your classroom.",
    },
    {
        "name": "Personal devices",
        "order": 60,
        "action": "explain",
        "keywords": "personal device*\npersonal laptop*\npersonal computer*\npersonal phone*\npersonal tablet*\n"
        "personal printer*\npersonal iPad*\nmy own\ncell phone*\ncellphone*\niPhone*\nhome computer*\n"
        "home printer*\nbought myself\nmy personal",
        "message": "The Technology Department can only repair and troubleshoot devices the district bought, so we "
        "cannot help with personal devices. The district is not liable for damage to personal property used "
        "in the district.",
    },
    {
        "name": "Streaming during a testing window",
        "order": 70,
        "action": "explain",
        "only_during_testing": True,
        "keywords": "YouTube\nvideo\nvideos\nstream*\nNetflix\nVimeo\nmovie\nmovies\nblocked video*\n"
        "video blocked\nvideos are blocked",
        "message": "Streaming is turned off during testing windows to keep the bandwidth for testing, so we cannot "
        "take tickets about blocked or slow videos right now. Streaming comes back on when the testing window "
        "closes.",
    },
    {
        "name": "Mass email requests",
        "order": 80,
        "action": "form",
        "request_form": "mass_email",
        "lead_business_days": 7,
        "contact": "Mass email requests",
        "keywords": "mass email\nmass e-mail\nmass emails\nemail blast\nall staff email\nemail all staff\n"
        "email to all staff\nemail everyone\nemail to everyone\nemail to all parents\ndistrict wide email",
        "message": "Mass emails are requested from mass@northpanolaschools.org at least 7 business days before the "
        "event (7 to 10 is best), with the date, time, location, any fee and supporting documents. Please use "
        "the mass email request form: what you typed is carried over.",
    },
    {
        "name": "Media requests",
        "order": 90,
        "action": "form",
        "request_form": "media",
        "lead_business_days": 5,
        "contact": "Media requests",
        "keywords": "photographer\ntake pictures\ntake photos\npictures of our\nphotos of our\nvideo of our\n"
        "record our\nvideotape\nflyer\nflyers\nmedia request",
        "message": "Photographs, video and flyers for events are requested from mediatech@northpanolaschools.org at "
        "least 5 business days before the event. Please use the media request form: what you typed is carried "
        "over.",
    },
    {
        "name": "Access levels in instructional programs",
        "order": 100,
        "action": "role",
        "allowed_roles": "building_administrator,principal",
        "allow_override": False,
        "keywords": "access level\naccess levels\naccess rights\npermission level*\nchange access\n"
        "change my access\nmore access\nelevated access\nadmin rights\nadministrator rights\nadmin access\n"
        "teacher access",
        "message": "Access levels in instructional programs are set by building administrators and can only be "
        "changed at their request. Please ask your building administrator to submit this request.",
    },
    {
        "name": "Major issues: Internet, wireless, business stopped",
        "order": 200,
        "action": "change",
        "raise_priority_to": 4,
        "technician_note": "Major issue under the policy (Internet or wireless down, testing, or business "
        "operations stopped): handle first.",
        "keywords": "internet down\ninternet is down\ninternet is out\nno internet\ninternet outage\nwifi down\n"
        "wifi is down\nwireless down\nwireless is down\nnetwork down\nnetwork is down\nnetwork outage\n"
        "server down\nserver is down\nphones are down\nphones down\nno dial tone\nwhole school\nentire school\n"
        "whole building\nentire building\npayroll",
        "message": "This looks like a major issue, so your ticket goes to the top of the technicians' list.",
    },
    {
        "name": "Testing problems",
        "order": 210,
        "action": "change",
        "raise_priority_to": 4,
        "technician_note": "Testing problem: during testing, testing comes first.",
        "keywords": "testing problem*\ntesting issue*\nduring testing\ntesting lab\ntesting room\ntesting computer*\n"
        "state test\nstate testing\ntest session\nMAAP\nACT\nonline test\ntest will not\ntest won't",
        "message": "Testing problems come first, so your ticket goes to the top of the technicians' list.",
    },
    {
        "name": "Testing type",
        "order": 220,
        "action": "change",
        "raise_priority_to": 3,
        "technician_note": "Ticket type is Testing.",
        "ticket_types": ["Testing"],
        "message": "Testing problems come first, so your ticket goes near the top of the technicians' list.",
    },
]


def seed(apps, schema_editor):
    Contact = apps.get_model("routing", "Contact")
    RoutingRule = apps.get_model("routing", "RoutingRule")
    RuleSetVersion = apps.get_model("routing", "RuleSetVersion")
    TicketType = apps.get_model("tickets", "TicketType")
    contacts = {}
    for values in CONTACTS:
        contact, _ = Contact.objects.get_or_create(name=values["name"], defaults=values)
        contacts[contact.name] = contact
    for values in RULES:
        values = dict(values)
        contact_name = values.pop("contact", None)
        type_names = values.pop("ticket_types", [])
        rule, created = RoutingRule.objects.get_or_create(
            name=values["name"], defaults={**values, "contact": contacts.get(contact_name)}
        )
        if created and type_names:
            rule.ticket_types.set(TicketType.objects.filter(name__in=type_names))
    RuleSetVersion.objects.update_or_create(pk=1, defaults={"stamp": uuid.uuid4()})


class Migration(migrations.Migration):
    dependencies = [("routing", "0001_initial"), ("tickets", "0002_seed_schools_and_types")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
