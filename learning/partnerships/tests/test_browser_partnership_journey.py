"""In a real browser, the whole journey of a partnership: the secretariat turns a suggestion
on a need's page into a proposal, both parties accept, the secretariat starts it, an
activity is planned, a party files a monitoring report, and the commission's dashboard and
the world map show the partnership."""

import datetime
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.tests.factories import PASSWORD
from conftest import pass_second_step, second_step_code
from learning.models import Activity, LearningNeed, MonitoringReport, Partnership
from learning.partnerships.tests.factories import World, make_criterion
from library.tests.factories import make_experience
from network.models import Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, base, user, next_url):
    code = second_step_code(user.email)
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/?next={quote(next_url)}")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    pass_second_step(page, code)


@pytest.fixture
def world():
    world = World()
    # Sofia works in English here; Lucia keeps Spanish.
    User.objects.filter(pk=world.sofia.pk).update(preferred_language="en")
    Organisation.objects.filter(pk=world.learner.pk).update(latitude=-20.46, longitude=16.65)
    Organisation.objects.filter(pk=world.mentor.pk).update(latitude=-29.86, longitude=31.03)
    world.criterion = make_criterion(name_en="Mutual learning")
    world.need = LearningNeed.objects.create(
        city=world.learner,
        original_language="en",
        title="Waste collection in informal settlements",
        problem="Our informal settlements have no waste collection and no recycling.",
    )
    world.experience = make_experience(
        world.mentor,
        title="Waste pickers collect and recycle waste in informal settlements",
        summary="Durban organised waste collection and recycling with the waste pickers.",
    )
    return world


def test_a_suggestion_becomes_an_active_partnership_on_the_dashboard_and_the_map(
    live_server, page, world
):
    page.set_default_timeout(30_000)
    base = live_server.url
    need, experience = world.need, world.experience

    # The secretariat opens the need; the suggestions arrive and one is proposed.
    _log_in(page, base, world.sofia, need.get_absolute_url())
    expect(page.get_by_role("heading", name=need.title, exact=True)).to_be_visible()
    suggestion = page.locator("#need-suggestions article").filter(has_text=experience.title)
    expect(suggestion).to_contain_text("Durban")
    suggestion.get_by_role("button", name="Propose a partnership").click()
    expect(page.locator("h1")).to_have_text("Propose a partnership")
    expect(page.locator(f"input[name=learners][value='{world.learner.pk}']")).to_be_checked()
    expect(page.locator(f"input[name=mentors][value='{world.mentor.pk}']")).to_be_checked()
    page.get_by_role("button", name="Send the proposal").click()
    expect(page.locator("h1")).to_have_text(need.title)
    expect(page.locator("[data-status]")).to_have_text("Proposed")
    expect(page.get_by_role("link", name=experience.title)).to_be_visible()
    partnership = Partnership.objects.get()
    url = partnership.get_absolute_url()

    # Each party's representative accepts.
    _log_in(page, base, world.lucia, url)
    page.get_by_role("button", name="Aceptar la alianza").click()
    expect(page.get_by_text("Ha aceptado la alianza.")).to_be_visible()

    _log_in(page, base, world.mandla, url)
    page.get_by_role("button", name="Accept the partnership").click()
    expect(page.locator("[data-status]")).to_have_text("Agreed")

    # The secretariat starts it and plans a study visit.
    _log_in(page, base, world.sofia, url)
    page.get_by_role("button", name="Active", exact=True).click()
    expect(page.locator("[data-status]")).to_have_text("Active")
    expect(page.get_by_text("No activity planned yet.")).to_be_visible()
    page.get_by_text("Plan an activity", exact=True).click()
    plan = page.locator("form[action$='/activities/']")
    plan.get_by_label("Kind").select_option(label="Study visit")
    plan.get_by_label("Title").fill("Study visit to Durban's buy-back centres")
    visit_day = datetime.date.today() + datetime.timedelta(days=30)
    plan.get_by_label("From").fill(visit_day.isoformat())
    plan.get_by_label("Place").fill("Durban")
    plan.get_by_role("button", name="Add the activity").click()
    expect(page.get_by_text("The activity was added to the plan.")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Study visit to Durban's buy-back centres (Study visit)")
    ).to_be_visible()
    expect(page.get_by_text("No activity planned yet.")).to_have_count(0)
    assert Activity.objects.get().starts_on == visit_day

    # The mentor city files the first monitoring report.
    _log_in(page, base, world.mandla, url)
    page.get_by_role("button", name="File a report").click()
    expect(page.locator("h1")).to_have_text("Monitoring report")
    page.get_by_label("Reporting for").select_option(label="Durban")
    page.get_by_label("Progress").fill("A first webinar with the waste pickers' cooperative.")
    page.get_by_label("Mutual learning").fill("4")
    page.get_by_role("button", name="File the report").click()
    expect(page.get_by_text("Your report was filed.")).to_be_visible()
    reports = page.locator("table").filter(has_text="Reporting party")
    expect(reports.locator("tbody tr")).to_have_count(1)
    expect(reports.locator("tbody tr")).to_contain_text("Durban")
    expect(reports.locator("tbody tr")).to_contain_text("Mutual learning: 4")
    assert MonitoringReport.objects.get().organisation == world.mentor

    # The secretariat's dashboard: taken to its commission's, which counts the partnership.
    _log_in(page, base, world.sofia, "/learning/dashboard/")
    expect(page).to_have_url(f"{base}/learning/dashboard/{world.commission.slug}/")
    expect(page.locator("dl.figures")).to_contain_text("Partnerships")
    by_status = page.locator("section[aria-labelledby=by-status] li")
    active = by_status.filter(has=page.get_by_role("link", name="Active", exact=True))
    expect(active.locator(".num")).to_have_text("1")
    proposed = by_status.filter(has=page.get_by_role("link", name="Proposed", exact=True))
    expect(proposed.locator(".num")).to_have_text("0")
    trend = page.locator(".monitoring-panel table")
    expect(trend.get_by_role("rowheader", name="Mutual learning")).to_be_visible()
    expect(trend).to_contain_text("4.0")

    # The map draws one link between the two cities, listed in the text alternative.
    page.get_by_role("link", name="Its partnerships on the world map").click()
    expect(page.locator("h1")).to_have_text("World map of the network")
    expect(page.locator("svg.world-map path.link")).to_have_count(1)
    expect(page.locator("svg.world-map path.link.status-active")).to_have_count(1)
    expect(page.locator("svg.world-map circle.city")).to_have_count(2)
    rows = page.locator("section[aria-labelledby=map-table] tbody tr")
    expect(rows).to_have_count(1)
    cells = rows.first.locator("td")
    expect(cells).to_have_text([need.title, "Active", "Durban", "Otjiwarongo"])
    rows.first.get_by_role("link", name=need.title).click()
    expect(page).to_have_url(f"{base}{url}")
