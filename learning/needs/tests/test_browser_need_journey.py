"""In a real headless browser, the whole journey of a need: a city officer working in
Spanish states it, sees the French and English experiences that answer it with their
reasons, sets one aside with a reason, and the secretariat finds it counted on the agenda."""

import pytest
from playwright.sync_api import expect

from conftest import pass_second_step, second_step_code
from learning.models import DismissalReason, LearningNeed, SuggestionDismissal
from learning.needs.tests.factories import make_city, make_need, make_offered_experience, make_theme
from library.models import Theme
from network.tests.factories import make_representative, make_secretariat_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"  # noqa: S105 - test only
TITLE = "Reciclar los residuos domésticos"


@pytest.fixture
def world():
    waste = make_theme("waste-management", "Waste management")
    Theme.objects.filter(pk=waste.pk).update(
        label_es="Gestión de residuos", label_fr="Gestion des déchets"
    )
    cuenca = make_city(name="Cuenca", region="latin-america", population=330_000)
    officer = make_representative(
        cuenca, email="lucia@example.org", password=PASSWORD, preferred_language="es"
    )
    french = make_offered_experience(
        make_city(name="Kaolack", region="africa", population=280_000),
        language="fr",
        themes=[waste],
        title="Tri et recyclage des déchets ménagers",
        summary="La collecte sélective des ordures ménagères et leur recyclage.",
    )
    english = make_offered_experience(
        make_city(name="Leeds", region="europe", population=800_000),
        language="en",
        themes=[waste],
        title="Household waste recycling",
        summary="Separate collection of solid waste and recycling centres.",
    )
    unrelated = make_offered_experience(
        make_city(name="Turku", region="europe", population=200_000),
        language="en",
        title="A network of parks",
        summary="Green space and biodiversity along the river.",
    )
    # Another city's need, already on the agenda before this one.
    make_need(make_city(name="Thiès", region="africa"), language="fr", themes=[waste],
              title="Gérer les ordures du marché")  # fmt: skip
    secretariat = make_secretariat_user(
        email="sofia@example.org", password=PASSWORD, preferred_language="es"
    )
    return {"officer": officer, "secretariat": secretariat, "french": french,
            "english": english, "unrelated": unrelated}  # fmt: skip


def _log_in(page, base_url, user):
    code = second_step_code(user.email)
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=username], input[name=email], input[type=email]").first.fill(
        user.email
    )
    page.locator("input[type=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    pass_second_step(page, code)
    expect(page.locator("html")).to_have_attribute("lang", "es")


def _theme_demand(agenda_page):
    """The demand cell of the "Gestión de residuos" line in the agenda's table by theme."""
    section = agenda_page.locator("section").filter(
        has=agenda_page.get_by_role("heading", name="Por tema", exact=True)
    )
    row = section.get_by_role("row").filter(
        has=agenda_page.get_by_role("rowheader", name="Gestión de residuos", exact=True)
    )
    return row.get_by_role("cell").first


def test_a_spanish_speaking_officer_states_a_need_sets_a_suggestion_aside_and_the_secretariat_counts_it(  # noqa: E501
    live_server, browser, page, world
):
    page.set_default_timeout(30_000)

    # The secretariat's agenda, before: one need, the other city's.
    secretariat_context = browser.new_context()
    agenda = secretariat_context.new_page()
    agenda.set_default_timeout(30_000)
    _log_in(agenda, live_server.url, world["secretariat"])
    agenda.get_by_role("link", name="Necesidades de aprendizaje").first.click()
    agenda.get_by_role("link", name="Ver la agenda de aprendizaje").click()
    expect(agenda.get_by_role("heading", name="Agenda de aprendizaje", level=1)).to_be_visible()
    expect(agenda.get_by_text("1 necesidad", exact=True)).to_be_visible()
    expect(_theme_demand(agenda)).to_have_text("1")

    # The officer states the need, in Spanish.
    _log_in(page, live_server.url, world["officer"])
    page.get_by_role("link", name="Necesidades de aprendizaje").first.click()
    page.get_by_role("button", name="Expresar una necesidad de aprendizaje").click()
    expect(
        page.get_by_role("heading", name="Expresar una necesidad de aprendizaje")
    ).to_be_visible()
    page.get_by_label("En una línea, ¿qué quiere aprender su ciudad?").fill(TITLE)
    page.get_by_label("El problema").fill(
        "La basura se acumula y casi no hay reciclaje: los vertederos están llenos."
    )
    page.get_by_label("Gestión de residuos", exact=True).check()
    page.get_by_role("button", name="Guardar la necesidad").click()

    expect(page.locator("main")).to_contain_text("La necesidad de su ciudad se guardó.")
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Texto original")
    need = LearningNeed.objects.get(city__name_en="Cuenca")
    assert need.original_language == "es"

    # The suggestions arrive, each with its reasons in Spanish; the parks do not.
    suggestions = page.locator("#need-suggestions")
    expect(suggestions.get_by_role("heading", name="Sugerencias")).to_be_visible()
    french = suggestions.get_by_role("article").filter(
        has_text="Tri et recyclage des déchets ménagers"
    )
    english = suggestions.get_by_role("article").filter(has_text="Household waste recycling")
    for item in (french, english):
        expect(item).to_be_visible()
        same_problem = item.get_by_role("listitem").first
        expect(same_problem).to_contain_text("El mismo problema: ")
        expect(same_problem).to_contain_text("residuos")
        expect(same_problem).to_contain_text("reciclaje")
    expect(french).to_contain_text("Kaolack")
    expect(suggestions).not_to_contain_text("A network of parks")

    # The officer sets the English one aside: too far.
    english.locator("summary").click()
    english.get_by_label("¿Por qué descartarla?").select_option(label="Demasiado lejos")
    english.get_by_label("Nota (opcional)").fill("Preferimos una ciudad más cercana.")
    english.locator("form").get_by_role("button", name="Descartar").click()
    expect(suggestions).to_contain_text("1 sugerencia descartada")
    # Gone from the suggestions; listed among the set-aside ones, to be taken back.
    expect(english).to_have_count(0)
    expect(suggestions.locator("details.set-aside")).to_contain_text("Household waste recycling")
    expect(french).to_be_visible()

    # Still gone after a reload.
    page.reload()
    expect(french).to_be_visible()
    expect(suggestions).to_contain_text("1 sugerencia descartada")
    # Gone from the suggestions; listed among the set-aside ones, to be taken back.
    expect(english).to_have_count(0)
    expect(suggestions.locator("details.set-aside")).to_contain_text("Household waste recycling")
    dismissal = SuggestionDismissal.objects.get()
    assert (dismissal.need, dismissal.experience, dismissal.reason) == (
        need,
        world["english"],
        DismissalReason.TOO_FAR,
    )

    # The secretariat's agenda, after: the new need is counted, overall and under its theme.
    agenda.reload()
    expect(agenda.get_by_text("2 necesidades", exact=True)).to_be_visible()
    expect(_theme_demand(agenda)).to_have_text("2")
    secretariat_context.close()
