"""Translated content: each reader sees their language, else the next one in the
fallback order, the same in Python and in the database."""

import pytest
from django.utils import translation

from entrevilles import languages
from library.tests.factories import make_city
from network.models import Organisation

pytestmark = pytest.mark.django_db


def test_the_platform_has_its_three_languages_in_the_settings_order():
    assert languages.CODES == ("en", "fr", "es")


@pytest.mark.parametrize(
    ("reader", "order"),
    [("fr", ["fr", "en", "es"]), ("es", ["es", "en", "fr"]), ("en", ["en", "fr", "es"])],
)
def test_a_reader_sees_their_language_first_then_the_others(reader, order):
    with translation.override(reader):
        assert languages.fallback_order() == order
    assert languages.fallback_order(reader) == order


def test_the_first_filled_translation_is_shown():
    row = {"title": "Paying waste pickers", "title_en": "Paying waste pickers", "title_fr": ""}
    with translation.override("fr"):
        assert languages.first_translation(row, "title", languages.fallback_order()) == (
            "Paying waste pickers"
        )
    row["title_fr"] = "Payer les récupérateurs"
    with translation.override("fr"):
        assert languages.first_translation(row, "title", languages.fallback_order()) == (
            "Payer les récupérateurs"
        )


def test_the_database_falls_back_the_same_way_when_a_translation_is_empty():
    make_city("Durban", name_fr="", name_es="Durban ES")
    with translation.override("fr"):
        shown = Organisation.objects.annotate(shown=languages.translated("name"))
        assert shown.get().shown == "Durban"
    with translation.override("es"):
        shown = Organisation.objects.annotate(shown=languages.translated("name"))
        assert shown.get().shown == "Durban ES"


def test_the_services_check_every_language_column_of_a_translated_field():
    assert languages.language_columns(["title"]) == ["title", "title_en", "title_fr", "title_es"]
