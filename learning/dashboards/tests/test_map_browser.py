"""The world map in a real browser: the partnerships are drawn as SVG lines."""

import pytest
from playwright.sync_api import expect

from learning.groups.tests.factories import make_organisation, make_partnership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_map_page_draws_the_partnerships_between_cities(live_server, page):
    durban = make_organisation(name="Durban", latitude=-29.86, longitude=31.03)
    otjiwarongo = make_organisation(name="Otjiwarongo", latitude=-20.46, longitude=16.65)
    mzuzu = make_organisation(name="Mzuzu", latitude=-11.46, longitude=34.02)
    make_partnership(parties=[durban, otjiwarongo, mzuzu], status="active", title="Mentoring")
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server.url}/learning/map/")
    expect(page.locator("svg.world-map path.link")).to_have_count(2)
    expect(page.locator("svg.world-map circle.city")).to_have_count(3)
    expect(page.locator("svg.world-map path.status-active").first).to_be_attached()
    expect(page.get_by_role("cell", name="Otjiwarongo")).to_be_visible()
    # The outline comes from the site itself: nothing is asked of another server.
    assert all(url.startswith(live_server.url) for url in requests)
    width = page.locator("svg.world-map").evaluate("svg => svg.getBoundingClientRect().width")
    assert width > 300
