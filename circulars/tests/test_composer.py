"""The Rabat meeting of the demo data yields a circular that says what the seed says."""

import pytest
from django.utils import translation

from circulars import markup, services
from circulars.models import CircularKind, SegmentKind
from demo import world

pytestmark = pytest.mark.django_db


@pytest.fixture
def rabat(db):
    for app in ("network", "commissions", "accounts", "meetings", "actions"):
        __import__(f"demo.{app}", fromlist=["load_demo"]).load_demo()
    from demo.meetings import find_rabat_meeting

    return find_rabat_meeting()


# What the seed's circular says (its French text), piece by piece.
SEED_FRENCH = [
    "Chers collègues, membres et partenaires,",
    "1er octobre 2013",
    "Rabat",
    "réunion conjointe",
    "Commission Planification stratégique urbaine",
    "Commission Villes numériques et de la connaissance",
    "représentants",
    "régions du monde",
    "Vous pouvez accéder au rapport de la réunion",
    "Rapport de la réunion conjointe",
    "Il a été décidé de mener les actions suivantes dans les mois à venir",
    # The four workstreams...
    "### Villes intermédiaires",
    "### Lignes directrices des Nations Unies sur la planification urbaine et territoriale",
    "### Apprentissage entre villes",
    "### Présidence",
    # ...and their actions.
    "Soutenir la communication entre acteurs",
    "Finaliser le Document cadre",
    "Compléter le Document cadre par des études de cas",
    "Soutenir l'apprentissage entre pairs",
    "plateformes et instances européennes",
    "Appuyer les processus des Nations Unies avec les recommandations du Document d'orientation",
    "leadership local dans tous les processus de planification",
    "Suivre et soutenir les partenariats",
    "Suivre les groupes existants et les conclusions tirées des documents",
    "Renforcer la cohérence entre les initiatives des commissions",
    "Représenter le réseau dans les événements de lobbying et les réunions internationales",
    # The contacts: the World Secretariat and each commission's secretariat.
    "Pour tous renseignements supplémentaires",
    "Pour le Secrétariat mondial",
    "secretariat.planning@example.org",
    "secretariat.digital@example.org",
    "Cordialement,",
    "au nom de la Commission Planification stratégique urbaine et de la Commission Villes numériques",
    "la réunion conjointe de la Commission Planification stratégique urbaine et de la Commission Villes numériques",
]

SEED_ENGLISH = [
    "Dear colleagues, members and partners,",
    "joint meeting",
    "### Intermediary Cities",
    "### UN Guidelines on Urban and Territorial Planning",
    "### City-to-city learning",
    "### Presidency",
    "Finalise the Framework Document",
    "Follow up and support partnerships",
    "Represent the network at lobbying events and international meetings",
    "For further information, please contact:",
]


def test_the_rabat_meeting_yields_the_seed_circular_in_french(rabat):
    circular = services.draft_from_meeting(rabat, original_language="fr", actor=None)

    body = circular.body_fr
    missing = [piece for piece in SEED_FRENCH if piece not in body]
    assert missing == []
    assert circular.kind == CircularKind.MEETING_OUTCOME
    assert circular.subject_fr.startswith("Circulaire conjointe")
    assert "70 représentants" in body
    assert list(circular.meetings.all()) == [rabat]
    assert circular.actions.count() == 11
    assert {c.slug for c in circular.commissions.all()} == {
        "strategic-urban-planning",
        "digital-knowledge-cities",
    }


def test_the_english_and_spanish_versions_are_written_from_the_same_records(rabat):
    circular = services.draft_from_meeting(rabat, original_language="fr", actor=None)

    assert [piece for piece in SEED_ENGLISH if piece not in circular.body_en] == []
    assert "Estimados colegas, miembros y socios:" in circular.body_es
    assert "### Ciudades intermedias" in circular.body_es
    assert "1 de octubre de 2013" in circular.body_es
    assert circular.languages == ["fr", "en", "es"]


def test_the_generated_draft_goes_to_the_commissions_members_and_the_partners(rabat):
    circular = services.draft_from_meeting(rabat, original_language="fr", actor=None)

    segments = {(s.kind, s.commission_id) for s in circular.segments.all()}
    commission_ids = {c.pk for c in rabat.commissions.all()}
    assert segments == {(SegmentKind.COMMISSION_MEMBERS, pk) for pk in commission_ids} | {
        (SegmentKind.PARTNERS, None)
    }


def test_the_generated_body_renders_to_html_with_its_links(rabat):
    circular = services.draft_from_meeting(rabat, original_language="fr", actor=None)

    html = markup.render_html(circular.body_fr)
    assert "<h3>Villes intermédiaires</h3>" in html
    assert '<a href="/actions/' in html
    assert "<script" not in html


def test_the_generated_body_never_freezes_the_address_the_platform_had_when_drafting(
    rabat, settings, client
):
    settings.SITE_URL = "http://127.0.0.1:8000"
    circular = services.draft_from_meeting(rabat, original_language="fr", actor=None)
    assert "127.0.0.1" not in circular.body_fr
    settings.SITE_URL = "https://entrevilles.example.org"
    html = markup.render_html(circular.body_fr, site=settings.SITE_URL)
    assert '<a href="https://entrevilles.example.org/actions/' in html
    assert "](https://entrevilles.example.org/actions/" in markup.absolute_links(
        circular.body_fr, settings.SITE_URL
    )


def test_the_demo_loads_the_rabat_circular_and_a_draft_call_and_loads_again_unchanged(db):
    world.load()
    world.load()

    from circulars.models import Circular

    assert Circular.objects.filter(kind=CircularKind.MEETING_OUTCOME).count() == 1
    assert Circular.objects.filter(kind=CircularKind.CALL_FOR_PARTICIPATION).count() == 1
    rabat = Circular.objects.get(kind=CircularKind.MEETING_OUTCOME)
    assert rabat.status == "sending"
    assert rabat.original_language == "fr"
    assert rabat.deliveries.count() > 0
    assert not rabat.deliveries.exclude(email__endswith="@example.org").exists()
    with translation.override("fr"):
        assert "Villes intermédiaires" in rabat.body_fr


def test_a_meeting_circular_lists_only_the_actions_of_that_meetings_decisions(rabat):
    from actions import services as action_services
    from actions.models import Workstream

    learning = Workstream.objects.get(title_en="City-to-city learning")
    # Added to a workstream the meeting opened, years later, by no decision of that meeting.
    action_services.create_action(
        titles={"en": "Roadmap 2027: exchange visit to Maputo"},
        workstream=learning,
        actor=None,
    )

    circular = services.draft_from_meeting(rabat, original_language="en", actor=None)

    assert "Roadmap 2027" not in circular.body_en
    assert "Follow up and support partnerships" in circular.body_en
    assert "### City-to-city learning" in circular.body_en


def test_only_the_secretariat_named_in_the_settings_signs_a_circular(settings):
    from circulars.composer import draft_from_meeting
    from meetings.tests.factories import make_meeting, make_organisation
    from network.models import OrganisationKind

    # A city that calls itself a secretariat does not sign; the one the settings name does.
    make_organisation(name="Self-styled", kind=OrganisationKind.SECRETARIAT, email="x@example.org")
    make_organisation(name="World Secretariat HQ", external_ref="hq", email="hq@example.org")
    settings.NETWORK_SECRETARIAT_REF = "hq"
    meeting = make_meeting()
    with translation.override("en"):
        body = draft_from_meeting(meeting).bodies["en"]
    assert "World Secretariat HQ, on behalf of" in body
    assert "Self-styled" not in body
