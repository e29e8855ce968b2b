"""The admin guide's everyday tasks (docs/admin-guide.md), walked in Chromium as an administrator: a rule's
placeholders, technicians, a locked-out login, schools, canned responses and the help desk settings.

Screenshots as in test_admin_guide.py: `HELPDESK_UPDATE_SCREENSHOTS=1 make test PYTEST_ARGS=tests/browser/test_admin_guide_tasks.py`.
"""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from district.models import HelpDeskSettings, School
from routing.models import Contact, RoutingRule
from tests.browser.test_admin_guide import admin_page, shot  # noqa: F401  admin_page is the signed-in fixture
from tickets.models import CannedResponse

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("district_defaults", "district_policy")]
SAVE = {"name": "Save", "exact": True}


def test_edit_a_rule_and_its_placeholders(admin_page):  # noqa: F811
    page = admin_page
    rule = RoutingRule.objects.get(name="SAM Spectra 7 questions")
    address = Contact.objects.get(name="Towanda Mangrum").email
    page.goto(f"{page.base}/admin/routing/routingrule/{rule.pk}/change/")
    page.locator("#id_message").fill(f"SAM questions go to Towanda Mangrum at {address}, not the help desk.")
    page.get_by_role("button", **SAVE).click()
    expect(page.locator(".errorlist")).to_contain_text("Write {email} instead of the address")
    page.locator("#id_message").scroll_into_view_if_needed()
    shot(page, "rule-placeholders")
    page.locator("#id_message").fill("SAM questions go to {contact} ({email}), not the technology help desk.")
    page.get_by_role("button", **SAVE).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    rule.refresh_from_db()
    assert rule.shown_message == f"SAM questions go to Towanda Mangrum ({address}), not the technology help desk."


def test_add_and_remove_a_technician(admin_page):  # noqa: F811
    page = admin_page
    Group.objects.get_or_create(name="Technicians")  # made by a migration; transactional tests flush it
    page.goto(f"{page.base}/admin/auth/user/add/")
    page.locator("#id_username").fill("jamie.cole")
    page.locator("#id_password1").fill("a long first password 2026")
    page.locator("#id_password2").fill("a long first password 2026")
    page.get_by_role("button", **SAVE).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    page.locator("#id_first_name").fill("Jamie")
    page.locator("#id_last_name").fill("Cole")
    page.locator("#id_email").fill("jamie.cole@northpanolaschools.org")
    page.locator("#id_groups_from").select_option(label="Technicians")
    page.locator("#id_groups_add").click()
    page.locator("#id_groups_selector_chosen").scroll_into_view_if_needed()
    shot(page, "technician-add")
    page.get_by_role("button", **SAVE).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    jamie = User.objects.get(username="jamie.cole")
    assert jamie.groups.filter(name="Technicians").exists() and jamie.email == "jamie.cole@northpanolaschools.org"

    page.goto(f"{page.base}/admin/auth/user/{jamie.pk}/change/")
    page.locator("#id_is_active").uncheck()
    page.get_by_role("button", **SAVE).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    jamie.refresh_from_db()
    assert not jamie.is_active


def test_unlock_a_locked_out_login(admin_page):  # noqa: F811
    page = admin_page
    AccessAttempt.objects.create(
        username="casey",
        ip_address="192.0.2.10",
        user_agent="Mozilla/5.0 (Chromebook)",
        http_accept="text/html",
        path_info="/accounts/login/",
        get_data="",
        post_data="username=casey",
        failures_since_start=6,
    )
    page.goto(f"{page.base}/admin/axes/accessattempt/?q=casey")
    page.locator("input.action-select").first.check()
    page.locator("select[name=action]").select_option("delete_selected")
    shot(page, "lockout-unlock")
    page.get_by_role("button", name="Go").click()
    page.get_by_role("button", name="Yes, I’m sure").click()
    expect(page.locator(".messagelist")).to_contain_text("Successfully deleted 1")
    assert not AccessAttempt.objects.exists()


def test_retire_and_reorder_schools(admin_page):  # noqa: F811
    page = admin_page
    school = School.objects.get(name="North Panola Career and Technical Center")
    page.goto(f"{page.base}/admin/district/school/")
    row = page.locator("#result_list tr", has=page.get_by_role("link", name=school.name))
    row.locator("input[name$='-is_active']").uncheck()
    shot(page, "schools")
    page.get_by_role("button", **SAVE).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    school.refresh_from_db()
    assert not school.is_active


def test_add_a_canned_response(admin_page):  # noqa: F811
    page = admin_page
    page.goto(f"{page.base}/admin/tickets/cannedresponse/add/")
    page.locator("#id_title").fill("Restart first")
    page.locator("#id_body").fill(
        "Please restart the device, wait a minute, and reply to tell us what you see on the screen."
    )
    shot(page, "canned-response-add")
    page.get_by_role("button", **SAVE).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    assert CannedResponse.objects.get(title="Restart first").is_active


def test_change_the_help_desk_settings(admin_page):  # noqa: F811
    page = admin_page
    settings_row = HelpDeskSettings.load()
    page.goto(f"{page.base}/admin/district/helpdesksettings/{settings_row.pk}/change/")
    page.locator("#id_waiting_reminder_business_days").fill("4")
    shot(page, "help-desk-settings")
    page.get_by_role("button", **SAVE).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    settings_row.refresh_from_db()
    assert settings_row.waiting_reminder_business_days == 4
