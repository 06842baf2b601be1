"""Small things that make the French and Spanish pages read as if written in them."""

import datetime

import pytest
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.utils import translation

from accounts.models import Role
from entrevilles.languages import language_name, long_date
from learning.tests.factories_needs import make_city, make_need
from meetings.tests.factories import grant, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "1er octobre 2013"), ("es", "1 de octubre de 2013"), ("en", "Oct. 1, 2013")],
)
def test_the_first_of_the_month_reads_as_people_write_it(language, expected):
    with translation.override(language):
        assert long_date(datetime.date(2013, 10, 1)) == expected
        assert "er" not in long_date(datetime.date(2013, 10, 2)).split()[0]


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
