"""The end-to-end journey of issue 2 in a real headless browser (Debian's chromium).

Log in, switch to French, filter the directory by region, open a commission and see
its presidency. The directory's filter form and the commission page's presidency
section follow the shared contract (`/directory/?region=<code>`, a section headed
"Presidency", "Présidence" in French, listing current presidencies by organisation).
"""

import re

import pytest
from playwright.sync_api import expect

from commissions.tests.factories import make_commission, make_membership, make_presidency
from network.tests.factories import make_city, make_country, make_region

from .factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def journey_world():
    africa = make_region(code="africa", name_en="Africa", name_fr="Afrique", name_es="África")
    europe = make_region(code="europe", name_en="Europe", name_fr="Europe", name_es="Europa")
    south_africa = make_country(code="ZA", alpha3="ZAF", name="South Africa", region=africa)
    france = make_country(code="FR", alpha3="FRA", name="France", region=europe)
    durban = make_city(name="eThekwini Durban", country=south_africa, population=3_900_000)
    make_city(name="Villeurbanne", country=france, population=150_000)
    commission = make_commission(
        slug="strategic-urban-planning",
        name_en="Strategic Urban Planning",
        name_fr="Planification urbaine stratégique",
    )
    make_membership(commission, durban)
    make_presidency(commission, durban, role="president")
    make_user(email="officer@example.org", first_name="Thandi", last_name="Ndlovu")
    return commission


def _log_in_and_switch_to_french(page, base_url):
    page.set_default_timeout(5_000)
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("E-mail address").fill("officer@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("link", name="Thandi Ndlovu")).to_be_visible()

    # The language switcher submits itself when a language is chosen.
    with page.expect_navigation():
        page.locator("#language-select").select_option("fr")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("button", name="Déconnexion")).to_be_visible()


def test_a_member_logs_in_and_switches_the_interface_to_french(live_server, page, journey_world):
    _log_in_and_switch_to_french(page, live_server.url)
    # The choice is the person's, not only the browser's: it survives a new session.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill("officer@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_a_member_logs_in_reads_french_filters_the_directory_and_sees_a_presidency(
    live_server, page, journey_world
):
    _log_in_and_switch_to_french(page, live_server.url)

    page.get_by_role("link", name="Annuaire").click()
    page.locator("select[name=region]").select_option("africa")
    filters = page.locator("form:has(select[name=region])")
    filters.locator("button:not([type=button]):not([type=reset])").first.click()
    expect(page).to_have_url(re.compile(r"/directory/\?(.*&)?region=africa(&|$)"))
    results = page.locator("main")
    expect(results).to_contain_text("eThekwini Durban")
    expect(results).not_to_contain_text("Villeurbanne")

    page.goto(f"{live_server.url}/commissions/{journey_world.slug}/")
    heading = page.get_by_role("heading", name="Présidence", exact=True)
    expect(heading).to_be_visible()
    # The innermost block holding the heading: the presidency section itself.
    presidency = page.locator("main, section, article, div").filter(has=heading).last
    expect(presidency).to_contain_text("eThekwini Durban")
