"""The ranking: candidates across languages, its bonuses and the reasons shown."""

import pytest
from django.utils import translation

from learning.matching import engine
from learning.matching.tests.factories import make_city, make_experience, make_need
from learning.models import Partnership, PartnershipParty, PartnershipStatus

pytestmark = pytest.mark.django_db

SLUMS_ES = (
    "Regularización de asentamientos informales",
    "Mejoramiento de barrios marginales con agua potable y saneamiento.",
)
PARKS_EN = ("A network of parks", "Green space and biodiversity along the river.")


def _ranked(need):
    with translation.override("en"):
        return engine.suggestions_for_need(need)


def test_a_french_need_finds_the_spanish_experience_that_answers_it():
    learner = make_city("Saint-Louis", country="SN")
    bogota = make_city("Soacha", country="CO", region="latin-america", population=700_000)
    answer = make_experience(bogota, language="es", title=SLUMS_ES[0], summary=SLUMS_ES[1])
    make_experience(make_city("Leeds", country="GB", region="europe"), title=PARKS_EN[0],
                    summary=PARKS_EN[1])  # fmt: skip
    need = make_need(
        learner,
        title="Régulariser les quartiers informels",
        problem="Nos bidonvilles n'ont ni eau potable ni assainissement.",
    )

    found = _ranked(need)

    assert [item.experience for item in found.experiences] == [answer]
    top = found.experiences[0]
    assert top.reasons[0].startswith("The same problem: informal settlement")
    assert "water" in top.reasons[0] and "sanitation" in top.reasons[0]
    assert "A South-South pairing: Africa and Latin America" in top.reasons


def test_the_concepts_are_named_in_the_readers_language():
    learner = make_city(country="SN")
    make_experience(make_city(country="CO", region="latin-america"), language="es",
                    title=SLUMS_ES[0], summary=SLUMS_ES[1])  # fmt: skip
    need = make_need(learner, title="Upgrading slums", language="en")

    with translation.override("es"):
        found = engine.suggestions_for_need(need)

    assert "asentamiento informal" in found.experiences[0].reasons[0]


def test_a_city_of_the_same_size_outranks_a_metropolis_on_the_same_theme():
    learner = make_city(country="SN", population=300_000)
    text = ("Bus rapid transit for a growing city", "Public transport and traffic.")
    mega = make_experience(
        make_city(country="CO", region="latin-america", population=8_000_000),
        title=text[0],
        summary=text[1],
    )
    peer = make_experience(
        make_city(country="CO", region="latin-america", population=400_000),
        title=text[0],
        summary=text[1],
    )
    need = make_need(learner, language="en", title="Bus rapid transit", problem="Traffic.")

    found = _ranked(need)

    assert [item.experience for item in found.experiences] == [peer, mega]
    peer_item, mega_item = found.experiences
    assert peer_item.topic == mega_item.topic
    assert peer_item.factors == {"size": 0.1, "region": 0.05}
    assert mega_item.factors == {"region": 0.05}
    assert peer_item.score == pytest.approx(peer_item.topic * 1.15, abs=2e-4)
    assert mega_item.score == pytest.approx(mega_item.topic * 1.05, abs=2e-4)
    assert "A city of the same size: Intermediary city" in peer_item.reasons


def test_a_small_town_facing_a_metropolis_loses_a_tenth():
    learner = make_city(country="SN", population=20_000)
    mega = make_experience(
        make_city(country="FR", region="europe", population=2_000_000),
        title="Waste recycling",
    )
    need = make_need(learner, language="en", title="Recycling waste")

    (item,) = _ranked(need).experiences

    assert item.experience == mega
    assert item.factors == {"size": -0.1}
    assert item.score == pytest.approx(item.topic * 0.9, abs=2e-4)
    assert "A city of a very different size: Metropolis" in item.reasons


def test_every_bonus_of_a_strong_mentor_adds_up_with_its_reason():
    learner = make_city(country="SN", working_languages=["fr"])
    mentor = make_city(country="MA", working_languages=["fr", "en"])
    best = make_experience(
        mentor, language="fr", title="Recyclage des déchets", offers_peer_learning=True
    )
    make_experience(mentor, language="fr", title="Un marché couvert")
    partnership = Partnership.objects.create(title="P", status=PartnershipStatus.COMPLETED)
    PartnershipParty.objects.create(partnership=partnership, organisation=mentor, role="mentor")
    need = make_need(learner, title="Recycler les déchets ménagers")

    (item,) = _ranked(need).experiences

    assert item.experience == best
    assert item.factors == {
        "size": 0.1,
        "language": 0.05,
        "region": 0.05,
        "published": 0.025,
        "mentored": 0.05,
        "host": 0.05,
    }
    assert item.score == pytest.approx(item.topic * 1.325, abs=2e-4)
    assert item.reasons[1:] == [
        "A city of the same size: Intermediary city",
        "A working language in common: French",
        "The same region: Africa",
        "Track record: 2 published experiences",
        "Has mentored 1 completed partnership",
        "The city offers to host peer learning on it",
    ]


def test_the_needs_own_city_drafts_and_unrelated_experiences_are_not_suggested():
    learner = make_city(country="SN")
    make_experience(learner, title="Waste recycling")
    make_experience(make_city(country="MA"), title="Waste recycling", status="draft")
    make_experience(make_city(country="MA"), title="Heritage of the old town")
    need = make_need(learner, language="en", title="Recycling waste")

    assert _ranked(need).experiences == []


def test_peer_cities_with_several_answers_come_first():
    learner = make_city(country="SN")
    two = make_city("Two", country="MA")
    one = make_city("One", country="MA")
    a = make_experience(two, title="Waste recycling")
    b = make_experience(two, title="Waste collection")
    make_experience(one, title="Waste recycling")
    need = make_need(learner, language="en", title="Recycling waste")

    cities = _ranked(need).cities

    assert [c.city for c in cities] == [two, one]
    assert {item.experience for item in cities[0].experiences} == {a, b}
    assert cities[0].score == pytest.approx(
        cities[0].experiences[0].score + 0.3 * cities[0].experiences[1].score, abs=2e-4
    )
    assert cities[0].reasons[0].startswith("2 experiences answering this need")


def test_an_ad_hoc_text_with_a_country_and_population_gets_the_same_bonuses():
    make_city(country="SN")
    make_experience(make_city(country="MA", population=200_000), language="es",
                    title="Reciclaje de residuos")  # fmt: skip
    from network.models import Country

    seeker = engine.seeker_for_text(
        "Recycling waste",
        "en",
        country=Country.objects.select_related("region").get(code="SN"),
        population=150_000,
    )
    with translation.override("en"):
        (item,) = engine.suggest(seeker).experiences
    assert item.factors == {"size": 0.1, "region": 0.05}


def test_an_experience_lists_the_needs_it_answers_and_not_others():
    from learning.models import LearningNeed

    mentor = make_city(country="MA")
    experience = make_experience(mentor, language="es", title="Reciclaje de residuos")
    wanting = make_need(make_city(country="SN"), title="Le recyclage des déchets")
    make_need(make_city(country="SN"), title="Protéger le patrimoine")
    make_need(mentor, title="Le recyclage des déchets")  # the experience's own city

    with translation.override("en"):
        found = engine.needs_answered_by(experience, LearningNeed.objects.all())

    assert [item.need for item in found] == [wanting]
    assert found[0].reasons[0] == "The same problem: waste, recycling"


def test_the_reasons_are_written_in_the_readers_language():
    learner = make_city(country="SN", population=300_000)
    make_experience(make_city(country="CO", region="latin-america", population=400_000),
                    language="es", title=SLUMS_ES[0], summary=SLUMS_ES[1])  # fmt: skip
    need = make_need(learner, language="en", title="Upgrading slums")

    with translation.override("fr"):
        (item,) = engine.suggestions_for_need(need).experiences

    assert item.reasons == [
        "Le même problème\u00a0: quartier informel, réhabilitation",
        "Une ville de même taille\u00a0: Ville intermédiaire",
        "Un jumelage Sud-Sud\u00a0: Afrique et Amérique latine",
    ]
