"""The Content-Security-Policy in a real browser: htmx, the map and the language
switcher keep working, and the browser reports no violation."""

import re

import pytest
from playwright.sync_api import expect

from learning.groups.tests.factories import make_organisation, make_partnership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_work_under_the_policy_with_no_violation(live_server, page):
    durban = make_organisation(name="Durban", latitude=-29.86, longitude=31.03)
    mzuzu = make_organisation(name="Mzuzu", latitude=-11.46, longitude=34.02)
    make_partnership(parties=[durban, mzuzu], status="active", title="Mentoring")
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.set_default_timeout(5_000)
    page.set_default_navigation_timeout(30_000)

    page.goto(f"{live_server.url}/learning/map/")
    expect(page.locator("svg.world-map path.link")).to_have_count(1)

    # htmx swaps the directory's results in place.
    page.goto(f"{live_server.url}/directory/")
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("searchbox").fill("Mzuzu")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"/directory/\?q=Mzuzu"))
    expect(page.locator("#results")).to_contain_text("Mzuzu")
    expect(page.locator("#results")).not_to_contain_text("Durban")
    assert page.evaluate("window.stillTheSamePage") is True  # swapped, not reloaded
    # The language switcher submits itself (a static script, no inline handler).
    with page.expect_navigation():
        page.locator("#language-select").select_option("es")
    expect(page.locator("html")).to_have_attribute("lang", "es")

    page.goto(f"{live_server.url}/learning/agenda/")
    page.goto(f"{live_server.url}/admin/login/")
    assert violations == []
