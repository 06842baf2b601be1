"""In a real headless browser: a city officer working in French states a need and sees it
listed; an empty first try is refused with a French message and saves nothing."""

import pytest
from playwright.sync_api import expect

from learning.models import LearningNeed
from learning.needs.tests.factories import make_city, make_theme
from network.tests.factories import make_representative, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"  # noqa: S105 - test only


@pytest.fixture
def officer():
    make_theme("intermediary-cities", "Intermediary cities")
    saint_louis = make_city(name="Saint-Louis", region="africa", population=254_000)
    make_user(email="someone@example.org")
    user = make_representative(saint_louis, email="aminata@example.org", password=PASSWORD)
    user.preferred_language = "fr"
    user.save()
    return user


def test_an_officer_in_french_states_a_need_and_sees_it_listed(live_server, page, officer):
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username], input[name=email], input[type=email]").first.fill(
        officer.email
    )
    page.locator("input[type=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    page.get_by_role("link", name="Besoins d'apprentissage").first.click()
    page.get_by_role("button", name="Exprimer un besoin d'apprentissage").click()
    expect(page.get_by_role("heading", name="Exprimer un besoin d'apprentissage")).to_be_visible()

    # Sent empty: refused in French, nothing saved.
    page.get_by_role("button", name="Enregistrer le besoin").click()
    expect(page.locator("main")).to_contain_text("Rien n'a été enregistré")
    assert not LearningNeed.objects.exists()

    page.get_by_label("En une ligne, que veut apprendre votre ville\u00a0?").fill(
        "Adapter la ville à la montée des eaux"
    )
    page.get_by_label("Le problème").fill("La Langue de Barbarie recule chaque année.")
    page.get_by_label("Mentorat").check()
    page.get_by_label("Urgent").check()
    page.get_by_role("button", name="Enregistrer le besoin").click()
    expect(page.locator("main")).to_contain_text("Le besoin de votre ville a été enregistré.")
    expect(
        page.get_by_role("heading", name="Adapter la ville à la montée des eaux")
    ).to_be_visible()
    expect(page.locator("main")).to_contain_text("Texte original")

    page.get_by_role("link", name="Besoins d'apprentissage").first.click()
    page.get_by_role("button", name="Les besoins de ma ville").click()
    expect(page.locator("main")).to_contain_text("Adapter la ville à la montée des eaux")
    expect(page.locator("main")).to_contain_text("Saint-Louis")
    need = LearningNeed.objects.get()
    assert (need.original_language, need.urgency, need.learning_modes) == (
        "fr",
        "high",
        ["mentoring"],
    )
