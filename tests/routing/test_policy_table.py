"""Phrasings staff really use, checked against the seeded district policy (routing/migrations/0002)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from routing.models import Role
from routing.selectors import routing_rule_for_request
from tests.factories import SchoolFactory, TicketTypeFactory
from tests.routing.factories import StaffMemberFactory, WindowFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("district_policy")]

SAM = "SAM Spectra 7 questions"
ACTIVE = "Active Resources questions"
MAINTENANCE = "Maintenance requests"
QUOTE = "Quote requests"
PURCHASE = "Equipment purchases"
PERSONAL = "Personal devices"
STREAMING = "Streaming during a testing window"
MASS = "Mass email requests"
MEDIA = "Media requests"
ACCESS = "Access levels in instructional programs"
MAJOR = "Major issues: Internet, wireless, business stopped"
TESTING = "Testing problems"
TESTING_TYPE = "Testing type"

# (subject, description, ticket type, inside a testing window?, expected rule or None)
TABLE = [
    # SAM Spectra 7, and its look-alikes
    ("SAM password reset", "I forgot my password for SAM.", None, False, SAM),
    ("Can't log in to SAM", "It says my account is locked.", None, False, SAM),
    ("Grades", "My grades are not showing in SAM Spectra 7.", None, False, SAM),
    ("Spectra gradebook", "Spectra 7 will not save my grades.", None, False, SAM),
    ("sam password", "please reset my sam password", None, False, SAM),
    ("Same problem as last week", "The printer in room 4 is jammed again.", "Printer", False, None),
    ("Samsung monitor", "My Samsung monitor flickers all day.", "Hardware", False, None),
    ("Computer for Sam Jones", "Sam Jones in room 9 cannot log in to the laptop.", "Hardware", False, None),
    ("Sam's laptop", "Sam's laptop does not charge anymore.", "Hardware", False, None),
    ("Samples folder", "The samples folder on the shared drive is gone.", "Software", False, None),
    # Active Resources
    ("Active Resources password", "I need my Active Resources password reset.", None, False, ACTIVE),
    ("New account", "Please set up my account in active resources.", None, False, ACTIVE),
    ("Active student resources", "The students are active and the resources are ready.", "Software", False, None),
    # Maintenance
    ("Heater broken", "The heater in room 12 does not come on.", None, False, MAINTENANCE),
    ("Too cold", "It is too cold in the library, the heating is off.", None, False, MAINTENANCE),
    ("AC not working", "The AC in the gym is blowing warm air.", None, False, MAINTENANCE),
    ("Leak", "Water is leaking from the ceiling above my desk.", None, False, MAINTENANCE),
    ("Toilet", "The toilet in the staff restroom runs all day.", None, False, MAINTENANCE),
    ("Lights out", "Half the lights in room 3 are out.", None, False, MAINTENANCE),
    ("Door will not lock", "The classroom door lock is broken.", None, False, MAINTENANCE),
    ("Broken window", "A broken window in room 7 lets the rain in.", None, False, MAINTENANCE),
    ("Outlet sparks", "The outlet by the sink sparks when I plug in the kettle.", None, False, MAINTENANCE),
    ("Floor tiles", "Floor tiles are coming up near the door.", None, False, MAINTENANCE),
    ("Projector light", "The projector light blinks orange.", "Interactive board / Projector", False, None),
    ("Pop-up window", "A window pops up on my computer asking for an update.", "Software", False, None),
    ("Laptop charger", "My AC adapter for the laptop is frayed.", "Hardware", False, None),
    ("Locked out", "My account is locked after three tries.", "Password", False, None),
    # Quotes
    ("Quote for document cameras", "I need a quote for 4 document cameras.", None, False, QUOTE),
    ("Price quote", "Please get a price quote for headphones.", None, False, QUOTE),
    # Purchases
    ("Need ink", "My printer is out of ink, can you bring some?", None, False, PURCHASE),
    ("Buy a new printer", "Can the department buy a new printer for my room?", None, False, PURCHASE),
    ("HDMI splitter", "I need a splitter for two screens.", None, False, PURCHASE),
    ("Projector bulb", "The projector bulb burned out, I need a new bulb.", None, False, PURCHASE),
    ("Need cables", "I need cables for the new stations.", None, False, PURCHASE),
    ("Toner", "We are out of toner in the office.", None, False, PURCHASE),
    ("Printer jam", "The printer says paper jam in tray 2.", "Printer", False, None),
    ("Inkjet prints streaks", "The inkjet prints streaks on every page.", "Printer", False, None),
    # Personal devices
    ("My personal laptop", "Can you fix my personal laptop? It will not start.", None, False, PERSONAL),
    ("iPhone email", "My iPhone won't get district email.", None, False, PERSONAL),
    ("Home printer", "My home printer will not connect to my account.", None, False, PERSONAL),
    ("Cell phone", "My cell phone cannot join the wireless.", None, False, PERSONAL),
    ("District laptop", "My district laptop will not start.", "Hardware", False, None),
    # Streaming during testing, and outside it
    ("YouTube blocked", "YouTube videos will not play in my class.", None, True, STREAMING),
    ("Video blocked", "The video for my lesson is blocked.", None, True, STREAMING),
    ("Streaming", "Streaming is not working in room 5.", None, True, STREAMING),
    ("YouTube blocked", "YouTube videos will not play in my class.", "Software", False, None),
    ("Video blocked", "The video for my lesson is blocked.", "Software", False, None),
    # Mass email
    ("Mass email for the PTO", "Please send a mass email about the PTO meeting.", None, False, MASS),
    ("Email all staff", "Can you email all staff about the fundraiser?", None, False, MASS),
    ("Email blast", "We need an email blast for the band concert.", None, False, MASS),
    ("Email not working", "My email will not open on my laptop.", "Email", False, None),
    # Media
    ("Photographer", "We need a photographer for the awards night.", None, False, MEDIA),
    ("Flyer for the play", "Can you make a flyer for the spring play?", None, False, MEDIA),
    ("Videotape graduation", "Please videotape graduation.", None, False, MEDIA),
    # Access levels (requester is a teacher in these rows)
    ("Access level", "Please change my access level in the reading program.", None, False, ACCESS),
    ("More access", "I need more access in the math program for my students.", None, False, ACCESS),
    ("Admin rights", "I need admin rights in the instructional program.", None, False, ACCESS),
    # Let through but change: major issues and testing
    ("Internet down", "The internet is down in the whole building.", "Network / Internet", False, MAJOR),
    ("No internet", "There is no internet in the library.", None, False, MAJOR),
    ("Wifi down", "Wifi is down at Crenshaw.", "Wireless", False, MAJOR),
    ("Wireless down", "Wireless is down on the second floor hall.", "Wireless", False, MAJOR),
    ("Payroll", "The payroll program will not open and payroll is due today.", "Software", False, MAJOR),
    ("State test", "Students cannot log in to the state test.", None, False, TESTING),
    ("MAAP", "The MAAP test will not load on five computers.", None, False, TESTING),
    ("Testing lab", "Three computers in the testing lab will not start.", None, False, TESTING),
    ("Act now please", "Please act now: the board is dead.", "Hardware", False, None),
    ("Login trouble", "The program will not let me in.", "Testing", False, TESTING_TYPE),
    # Ordinary tickets
    ("Printer in room 12", "The printer shows an error and will not print.", "Printer", False, None),
    ("Password for email", "I forgot my email password.", "Password", False, None),
    ("Smart board", "The board does not respond to touch.", "Interactive board / Projector", False, None),
    ("Slow laptop", "My laptop is very slow since the update.", "Hardware", False, None),
]


@pytest.mark.parametrize(("subject", "description", "type_name", "in_window", "expected"), TABLE)
def test_policy_phrasing_routes_to_the_rule_the_policy_names(subject, description, type_name, in_window, expected):
    """Each phrasing goes where the policy says; look-alikes and ordinary problems stay tickets."""
    school = SchoolFactory(name="Crenshaw Elementary School")
    teacher = StaffMemberFactory(email="teacher@northpanolaschools.org", role=Role.TEACHER, school=school)
    if in_window:
        WindowFactory()
    ticket_type = TicketTypeFactory(name=type_name) if type_name else None
    match = routing_rule_for_request(
        subject=subject,
        description=description,
        ticket_type_id=ticket_type.pk if ticket_type else None,
        school_id=school.pk,
        requester_email=teacher.email,
    )
    assert (match.rule.name if match else None) == expected, match and match.matched


def test_table_has_at_least_sixty_rows_both_ways():
    assert len(TABLE) >= 60
    assert sum(1 for row in TABLE if row[-1] is None) >= 20


def test_streaming_rule_applies_only_to_the_schools_in_the_window():
    tested, other = SchoolFactory(name="North Panola High School"), SchoolFactory(name="Crenshaw Elementary School")
    window = WindowFactory()
    window.schools.set([tested])
    kwargs = {"subject": "YouTube", "description": "YouTube is blocked", "ticket_type_id": None}
    assert routing_rule_for_request(**kwargs, school_id=tested.pk).rule.name == STREAMING
    assert routing_rule_for_request(**kwargs, school_id=other.pk) is None


def test_streaming_rule_says_when_the_window_ends():
    window = WindowFactory(ends_at=timezone.now() + timedelta(days=1))
    match = routing_rule_for_request(subject="YouTube", description="YouTube videos are blocked.")
    assert match.testing_window == window


def test_building_administrator_may_change_access_levels():
    school = SchoolFactory(name="Green Hill Elementary School")
    principal = StaffMemberFactory(email="principal@northpanolaschools.org", role=Role.PRINCIPAL, school=school)
    kwargs = {"subject": "Access level", "description": "Change the access level for Ms. Lee.", "school_id": school.pk}
    assert routing_rule_for_request(**kwargs, requester_email=principal.email) is None
    refused = routing_rule_for_request(**kwargs, requester_email="unknown@northpanolaschools.org")
    assert refused.rule.name == ACCESS and refused.building_administrators == (principal,)
