"""In a real browser: a secretariat turns a suggestion into a proposal, a party accepts it
in Spanish, the other party accepts and the secretariat starts it."""

from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from conftest import pass_second_step, second_step_code
from learning.models import LearningNeed, Partnership
from learning.partnerships.tests.factories import World
from library.tests.factories import make_experience

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, base, user, next_url):
    code = second_step_code(user.email)
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/?next={quote(next_url)}")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    pass_second_step(page, code)


def test_a_suggestion_becomes_a_proposal_that_a_party_accepts_in_spanish(live_server, page):
    world = World()
    need = LearningNeed.objects.create(
        city=world.learner, title="Recoger residuos en barrios informales", problem="Sin recogida."
    )
    experience = make_experience(world.mentor, title="Durban's waste pickers")
    base = live_server.url

    _log_in(
        page,
        base,
        world.sofia,
        f"/learning/partnerships/propose/?need={need.pk}&experience={experience.pk}",
    )
    # Sofia reads French; the form is prefilled from the suggestion.
    expect(page.locator("h1")).to_have_text("Proposer un partenariat")
    learner = page.locator(f"input[name=learners][value='{world.learner.pk}']")
    mentor = page.locator(f"input[name=mentors][value='{world.mentor.pk}']")
    expect(learner).to_be_checked()
    expect(mentor).to_be_checked()
    page.get_by_role("button", name="Envoyer la proposition").click()
    expect(page.locator("h1")).to_have_text("Recoger residuos en barrios informales")
    partnership = Partnership.objects.get()

    _log_in(page, base, world.lucia, partnership.get_absolute_url())
    page.get_by_role("button", name="Aceptar la alianza").click()
    expect(page.get_by_text("Ha aceptado la alianza.")).to_be_visible()
    expect(page.get_by_role("cell", name="Aceptada")).to_be_visible()

    _log_in(page, base, world.mandla, partnership.get_absolute_url())
    page.get_by_role("button", name="Accept the partnership").click()
    expect(page.locator("[data-status]")).to_have_text("Agreed")

    _log_in(page, base, world.sofia, partnership.get_absolute_url())
    page.get_by_role("button", name="En cours").click()
    expect(page.locator("[data-status]")).to_have_text("En cours")
