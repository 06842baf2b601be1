"""One journey in a real browser: from a joint meeting to an action's progress."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from actions.tests.factories import make_workstream

from .factories import Personas, grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def _log_in(page, base, user, next_url):
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")


def test_a_secretariat_runs_a_joint_meeting_and_an_owner_reports_progress(live_server, page):
    cast = Personas()
    grant(cast.secretariat, Role.SECRETARIAT, commission=cast.digital)
    for user in (cast.secretariat, cast.officer):
        user.set_password(PASSWORD)
        user.save()
    workstream = make_workstream(commissions=[cast.planning, cast.digital])
    base = live_server.url

    _log_in(page, base, cast.secretariat, "/meetings/new/")
    page.get_by_label("Planning").check()
    page.get_by_label("Digital").check()
    page.fill("#id_title_en", "Joint meeting in Rabat")
    page.fill("#id_time_zone", "Africa/Casablanca")
    page.fill("#id_starts_at", "2030-10-01T09:00")
    page.fill("#id_ends_at", "2030-10-01T18:00")
    page.select_option("#id_host", label="Rabat")
    page.click("main button[type=submit]")
    expect(page.locator("h1")).to_have_text("Joint meeting in Rabat")
    meeting_url = page.url.replace("manage/", "")

    page.goto(meeting_url)
    page.select_option("#register-person", label="Amal Officer")
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_text("Amal Officer is registered.")).to_be_visible()

    page.goto(meeting_url + "attendance/")
    page.get_by_label("Amal Officer").check()
    page.get_by_role("button", name="Save the attendance").click()
    expect(page.get_by_text("1 marked present")).to_be_visible()

    page.goto(meeting_url + "manage/")
    page.fill("#id_decision-text_en", "Finalise the Framework Document")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_role("link", name="Turn into an action").click()
    page.select_option("#id_workstream", value=str(workstream.pk))
    page.select_option("#id_owner_organisations", label="Rabat")
    page.fill("#id_due_date", "2030-12-31")
    page.click("main button[type=submit]")
    expect(page.get_by_text("The action is created.")).to_be_visible()
    action_url = page.url

    page.click("header button:has-text('Log out')")
    _log_in(page, base, cast.officer, action_url.replace(base, ""))
    page.fill("#id_text", "Second draft circulated")
    page.fill("#id_progress", "60")
    page.click("main button:has-text('Post')")
    expect(page.get_by_text("Your update is posted.")).to_be_visible()

    page.goto(f"{base}/actions/")
    row = page.locator("tr", has_text="Finalise the Framework Document")
    expect(row).to_contain_text("60%")
