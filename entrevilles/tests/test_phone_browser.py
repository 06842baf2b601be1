"""On a phone (375 px wide): a short header with a menu, forms easy to tap, a usable map,
search results before their facets."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from learning.groups.tests.factories import make_organisation, make_partnership
from library.tests.factories import make_experience
from search.services import index_object

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="en")
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


def _small_targets(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(
        selector,
        """els => els.filter(el => el.offsetParent !== null && el.type !== "hidden")
            .map(el => [el.name || el.id || el.tagName, el.getBoundingClientRect()])
            .filter(([name, box]) => box.width < 24 || box.height < 24)
            .map(([name, box]) => `${name} ${Math.round(box.width)}x${Math.round(box.height)}`)""",
    )


def test_the_header_folds_its_menu_behind_a_button(live_server, phone):
    phone.goto(f"{live_server.url}/")
    header = phone.locator("header.site-header")
    directory = header.get_by_role("link", name="Directory")
    expect(directory).to_be_hidden()
    height = header.evaluate("el => el.getBoundingClientRect().height")
    assert height < 200
    header.get_by_role("button", name="Menu").click()
    expect(directory).to_be_visible()
    expect(header.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "true")


def test_form_controls_are_at_least_24_pixels_on_a_phone(live_server, phone, city_officer):
    phone.goto(f"{live_server.url}/accounts/login/?next=/learning/needs/new/")
    assert _small_targets(phone, "main input, main select, main textarea, main button") == []
    phone.fill("#id_username", city_officer.email)
    phone.fill("#id_password", PASSWORD)
    phone.click("main button[type=submit]")
    phone.wait_for_url("**/learning/needs/new/")
    assert _small_targets(phone, "main input, main select, main textarea, main button") == []
    phone.goto(f"{live_server.url}/directory/")
    assert _small_targets(phone, "main input, main select, main button") == []


def test_the_map_is_drawn_large_enough_to_read_and_scrolls_on_a_phone(live_server, phone):
    durban = make_organisation(name="Durban", latitude=-29.86, longitude=31.03)
    mzuzu = make_organisation(name="Mzuzu", latitude=-11.46, longitude=34.02)
    make_partnership(parties=[durban, mzuzu], status="active", title="Mentoring")
    phone.goto(f"{live_server.url}/learning/map/")
    svg = phone.locator("svg.world-map")
    expect(svg).to_be_visible()
    assert svg.evaluate("el => el.getBoundingClientRect().width") >= 800
    dot = phone.locator("svg.world-map circle.city").first
    assert dot.evaluate("el => el.getBoundingClientRect().width") >= 6
    # The map scrolls inside its frame, which fits the screen.
    frame = phone.locator(".map-frame")
    assert frame.evaluate("el => el.getBoundingClientRect().right") <= PHONE["width"]
    assert frame.evaluate("el => el.scrollWidth > el.clientWidth")
    wide = phone.evaluate(
        """[...document.querySelectorAll("main *")]
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
            .filter(el => !el.closest(".map-frame, .overflow-auto"))
            .map(el => el.tagName + "." + el.className)"""
    )
    assert wide == [], wide


def test_the_search_page_shows_a_wide_box_and_the_results_before_the_facets(live_server, phone):
    for title in ("Paying waste pickers per tonne", "Waste banks that pay bus fares"):
        experience = make_experience(language="en", title=title, summary="Waste collection.")
        index_object("experience", experience.pk)
    phone.goto(f"{live_server.url}/search/?q=waste")
    box = phone.locator("main input[type=search]").bounding_box()
    button = phone.locator("main form[role=search] button[type=submit]").bounding_box()
    # The label sits above the box, which takes most of the line; the button keeps the
    # height of the box instead of growing with the label beside it.
    assert box["width"] >= 180, box
    assert button["height"] <= box["height"] + 2, (button, box)
    first = phone.get_by_role("link", name="Paying waste pickers per tonne")
    facets = phone.locator("aside#refine")
    expect(first).to_be_visible()
    assert first.bounding_box()["y"] < facets.bounding_box()["y"]
    # A link at the top of the results leads to the facets.
    phone.get_by_role("link", name="Refine").click()
    expect(facets).to_be_in_viewport()


@pytest.mark.parametrize(
    "path",
    [
        "/learning/agenda/",
        "/learning/dashboard/partnerships/",
        "/learning/partnerships/",
        "/privacy/",
    ],
)
def test_tables_scroll_in_their_own_frame_rather_than_widen_the_page(live_server, phone, path):
    durban = make_organisation(name="Durban", latitude=-29.86, longitude=31.03)
    mzuzu = make_organisation(name="Mzuzu", latitude=-11.46, longitude=34.02)
    make_partnership(parties=[durban, mzuzu], status="active", title="Mentoring in planning")
    phone.goto(f"{live_server.url}{path}")
    expect(phone.locator("main table").first).to_be_attached()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    unframed = phone.eval_on_selector_all(
        "main table", "els => els.filter(el => !el.closest('.overflow-auto')).length"
    )
    assert unframed == 0
