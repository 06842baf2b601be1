"""Small things that make the French and Spanish pages read as if written in them."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.template import engines
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from accounts.models import Role
from circulars.tests.factories import make_circular
from commissions.tests.factories import make_presidency
from conftest import message_text
from entrevilles.dates import format_date
from entrevilles.languages import language_name
from learning.matching import engine
from learning.matching.concepts import Lexicon
from learning.matching.tests import factories as matching
from learning.models import LearningNote
from learning.needs.tests.factories import make_city, make_need
from learning.partnerships import services as services_partnerships
from learning.partnerships.tests.factories import World
from meetings import services as meeting_services
from meetings.tests.factories import (
    grant,
    make_commission,
    make_meeting,
    make_person,
    make_user,
    rabat_time,
)

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "1er octobre 2013"), ("es", "1 de octubre de 2013"), ("en", "Oct. 1, 2013")],
)
def test_the_first_of_the_month_reads_as_people_write_it(language, expected):
    with translation.override(language):
        assert format_date(datetime.date(2013, 10, 1)) == expected
        assert "er" not in format_date(datetime.date(2013, 10, 2)).split()[0]


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ('{{ day|date:"DATE_FORMAT" }}', "1er octobre 2013"),
        ("{{ day|date }}", "1er octobre 2013"),
        ('{{ moment|date:"DATETIME_FORMAT" }}', "1er octobre 2013 09:30"),
        ('{{ day|date:"j F" }}', "1er octobre"),
        # Figures stay figures, and machine formats stay as they are.
        ('{{ day|date:"SHORT_DATE_FORMAT" }}', "01/10/2013"),
        ("{{ moment|date:'c' }}", "2013-10-01T09:30:00+00:00"),
    ],
)
def test_every_templates_date_filter_writes_the_french_first_of_the_month(template, expected):
    # Any template, with no {% load %}: the project's filter replaces Django's own.
    values = {
        "day": datetime.date(2013, 10, 1),
        "moment": datetime.datetime(2013, 10, 1, 9, 30, tzinfo=datetime.UTC),
    }
    with translation.override("fr"):
        rendered = engines["django"].from_string(template).render(values)
    assert rendered == expected


def test_no_code_formats_a_date_around_the_platforms_one_way():
    """Mail, PDFs, search snippets and the audit log call entrevilles.dates.format_date;
    a new module calling Django's date formatting directly would lose the "1er"."""
    direct = re.compile(r"\bdate_format\(|dateformat\.format\(|import date_format")
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.glob("*/**/*.py")
        if path.parts[len(ROOT.parts)] not in {".venv", ".tools", "node_modules"}
        and "tests" not in path.parts
        and path != ROOT / "entrevilles" / "dates.py"
        and direct.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_a_meeting_of_1_october_2013_reads_1er_octobre_2013_in_french(
    client, smtp_server, tasks_run_on_enqueue, django_capture_on_commit_callbacks
):
    meeting = make_meeting(
        title="Rabat joint meeting",
        starts_at=rabat_time(2013, 10, 1, 10, 0),
        ends_at=rabat_time(2013, 10, 1, 18, 0),
    )
    reader = make_user(email="amelie@example.org", preferred_language="fr")
    client.force_login(reader)
    assert "1er octobre 2013" in client.get(f"/meetings/{meeting.pk}/").text
    assert "1er octobre 2013" in client.get("/meetings/?when=past").text

    amelie = make_person(first_name="Amélie", preferred_language="fr", email="amelie@ex.org")
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.invite(meeting, people=[amelie], actor=None)
    (invitation,) = smtp_server
    assert "1er octobre 2013" in message_text(invitation)

    world = World()
    partnership = world.completed()
    note = services_partnerships.save_learning_note(
        partnership,
        original_language="fr",
        texts={"title": "Planifier avec une métropole", "context": "Aucun plan à long terme."},
        translations={},
        roadmap=[],
        actor=world.sofia,
    )
    services_partnerships.publish_learning_note(note, actor=world.sofia)
    LearningNote.objects.filter(pk=note.pk).update(
        published_at=datetime.datetime(2013, 10, 1, 12, tzinfo=datetime.UTC)
    )
    client.force_login(world.sofia)
    pdf = client.get(reverse("learning:note_pdf", args=[partnership.pk]) + "?lang=fr").content
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Publiée le 1er octobre 2013" in text


@pytest.mark.parametrize(
    ("language", "expected"), [("fr", "français"), ("es", "francés"), ("en", "French")]
)
def test_language_names_are_lower_case_inside_french_and_spanish_sentences(language, expected):
    with translation.override(language):
        assert language_name("fr", in_sentence=True) == expected


def test_a_need_page_says_rédigé_en_français(client):
    need = make_need(make_city(), language="fr", title="Réhabiliter les quartiers")
    client.cookies["entrevilles_language"] = "fr"
    page = client.get(f"/learning/needs/{need.pk}/", HTTP_ACCEPT_LANGUAGE="fr").text
    assert "rédigé en français" in page
    assert "rédigé en Français" not in page


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "- Choisir une option -"), ("es", "- Seleccione una opción -")],
)
def test_the_empty_choice_of_forms_is_translated(language, expected):
    with translation.override(language):
        assert str(BLANK_CHOICE_LABEL) == expected


@pytest.mark.parametrize(
    ("language", "expected"), [("fr", "Administration"), ("es", "Administración")]
)
def test_the_back_office_link_is_translated(client, language, expected):
    admin = grant(make_user(email="admin@example.org"), Role.NETWORK_ADMIN)
    admin.is_staff = True
    admin.preferred_language = language
    admin.save()
    client.force_login(admin)
    page = client.get("/").text
    assert f'<a href="/admin/">{expected}</a>' in page
    assert "Back office" not in page and "Back-office" not in page


def test_a_joint_circular_is_sent_au_nom_de_la_commission_et_de_la_commission(client):
    planning = make_commission(
        name="Commission on Strategic Urban Planning",
        name_fr="Commission Planification stratégique urbaine",
    )
    digital = make_commission(
        name="Commission on Digital Cities", name_fr="Commission Villes numériques"
    )
    circular = make_circular(commissions=[planning, digital])
    admin = grant(make_user(preferred_language="fr"), Role.NETWORK_ADMIN)
    client.force_login(admin)
    page = client.get(f"/circulars/{circular.pk}/").text
    assert (
        "Le Secrétariat mondial, au nom de la Commission Planification stratégique urbaine"
        " et de la Commission Villes numériques"
    ) in page


def test_a_suggestions_shared_languages_are_lower_case_after_the_colon():
    learner = matching.make_city(country="SN", working_languages=["fr", "en"])
    mentor = matching.make_city(country="MA", working_languages=["fr", "en"])
    matching.make_experience(mentor, language="fr", title="Recyclage des déchets")
    need = matching.make_need(learner, title="Recycler les déchets ménagers")
    with translation.override("fr"):
        (item,) = engine.suggestions_for_need(need).experiences
    assert "Une langue de travail en commun\u00a0: français, anglais" in item.reasons


def test_an_organisations_working_languages_read_as_a_french_list(client):
    city = make_city(working_languages=["en", "fr", "es"])
    client.force_login(make_user(preferred_language="fr"))
    page = client.get(f"/directory/organisations/{city.pk}/").text
    assert "Anglais, français, espagnol" in page


@pytest.mark.parametrize(
    ("language", "title"),
    [("fr", "Ajout\u00a0: organisation |"), ("es", "Añadir organización |")],
)
def test_the_back_office_titles_read_well_in_french_and_spanish(client, language, title):
    admin = grant(make_user(preferred_language=language), Role.NETWORK_ADMIN)
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    page = client.get(reverse("admin:network_organisation_add")).text
    assert f"<title>{title}" in page
    assert "Ajout de organisation" not in page


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "Présidence</strong>\u00a0: "),
        ("es", "Presidencia</strong>: "),
        ("en", "President</strong>: "),
    ],
)
def test_a_presidency_reads_with_the_colon_of_the_readers_language(client, language, expected):
    commission = make_commission()
    make_presidency(commission, make_city(name="Maputo"))
    client.force_login(make_user(preferred_language=language))
    page = client.get(reverse("commissions:detail", args=[commission.slug])).text
    assert expected + "<a" in page


def test_no_template_writes_a_bare_colon_after_a_value():
    """A colon written in a template after a value or a tag (`{{ label }}: …`) is outside
    the catalogues, where French wants a no-break space before it: `{% colon %}` writes
    it as the reader's language does."""
    bare = re.compile(r"(\}\}|%\}|</strong>|</a>) ?:( |$)", re.MULTILINE)
    offenders = []
    for path in ROOT.glob("*/templates/**/*.*"):
        if path.parts[len(ROOT.parts)] in {".venv", ".tools", "node_modules", "staticfiles"}:
            continue
        # Inside {% blocktranslate %} the translation writes the colon.
        text = re.sub(
            r"\{% blocktranslate.*?\{% endblocktranslate %\}",
            "",
            path.read_text(encoding="utf-8"),
            flags=re.DOTALL,
        )
        offenders += [f"{path.relative_to(ROOT)}: {m.group(0)!r}" for m in bare.finditer(text)]
    assert offenders == []


def test_a_theme_named_among_concepts_is_lower_case_and_each_concept_named_once():
    lexicon = Lexicon(
        index={},
        parents={},
        labels={
            "land": {"fr": "foncier", "en": "land"},
            "theme:land-management": {"fr": "Gestion foncière", "en": "Land management"},
            "theme:intermediary-cities": {"fr": "Ville intermédiaire", "en": "Intermediary cities"},
            "intermediary-city": {"fr": "ville intermédiaire", "en": "intermediary city"},
        },
    )
    keys = ["intermediary-city", "land", "theme:land-management", "sdg:11"]
    keys.append("theme:intermediary-cities")
    with translation.override("fr"):
        assert lexicon.listed(keys) == [
            "ville intermédiaire",
            "foncier",
            "gestion foncière",
            "ODD 11",
        ]
