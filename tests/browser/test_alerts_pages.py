"""The alerts pages (My notifications, response targets) and the ticket page's "Who will be emailed", at phone and
laptop widths: axe-core WCAG 2.1 AA, no duplicate ids, and the Nu Html Checker."""

import pytest

from tests.browser.test_accessibility import problems
from tests.factories import SchoolFactory, TechnicianFactory, TicketFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("district_defaults"),
    pytest.mark.vnu,
]
PHONE, LAPTOP = {"width": 390, "height": 844}, {"width": 1366, "height": 768}
PATHS = ["/alerts/my/", "/queue/1401/", "/queue/", "/alerts/targets/", "/reports/"]


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_alerts_pages_are_accessible(live_server, page, html_pages, viewport):
    casey = TechnicianFactory(username="casey", first_name="Casey", last_name="Jones", email="casey@example.org")
    school = SchoolFactory(name="Green Hill Elementary School")
    school.technicians.set([casey])
    TicketFactory(number=1401, school=school, priority=4)
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    found = {}
    for path in PATHS:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        found[path] = problems(page, response.text(), html_pages, f"alerts {path} {viewport['width']}")
    assert {path: issues for path, issues in found.items() if issues} == {}


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_typing_at_and_a_name_offers_technicians_to_mention(live_server, page, viewport):
    TechnicianFactory(username="casey", first_name="Casey", last_name="Jones")
    TechnicianFactory(username="ana", first_name="Ana", last_name="Ames")
    TicketFactory(number=1402)
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/accounts/login/?next=/queue/1402/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    box = page.locator("#id_composer-body")
    box.click()
    box.press_sequentially("Could @am")
    option = page.get_by_role("option", name="Ana Ames (@ana)")
    option.wait_for()
    assert page.get_by_role("status").filter(has_text="1 technician to mention").count() == 1
    box.press("Enter")
    assert box.input_value() == "Could @ana "
    assert page.get_by_role("listbox").is_hidden()
