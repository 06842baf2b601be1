import pycountry
import pytest
from django.utils import translation

from network.models import Country, Region
from network.reference import COUNTRY_REGIONS, REGIONS, load_reference_data

pytestmark = pytest.mark.django_db


def test_every_iso_country_is_in_a_migrated_database():
    assert Country.objects.count() == len(pycountry.countries) == 249


def test_the_seven_world_regions_are_there_in_order():
    assert list(Region.objects.values_list("code", flat=True)) == [code for code, *_ in REGIONS]
    region = Region.objects.get(code="middle-east-west-asia")
    assert (region.name_en, region.name_fr, region.name_es) == (
        "Middle East & West Asia",
        "Moyen-Orient et Asie de l'Ouest",
        "Oriente Medio y Asia Occidental",
    )


def test_country_names_are_in_english_french_and_spanish():
    germany = Country.objects.get(code="DE")
    morocco = Country.objects.get(code="MA")
    assert (germany.name_en, germany.name_fr, germany.name_es) == (
        "Germany",
        "Allemagne",
        "Alemania",
    )
    assert morocco.name_es == "Marruecos"
    with translation.override("fr"):
        assert str(Country.objects.get(code="DE")) == "Allemagne"


def test_the_english_name_is_the_common_one_where_iso_has_one():
    assert Country.objects.get(code="BO").name_en == "Bolivia"


def test_every_country_has_the_region_of_its_section():
    assert set(COUNTRY_REGIONS) == {entry.alpha_2 for entry in pycountry.countries}
    assert not Country.objects.filter(region=None).exists()
    regions = dict(Country.objects.values_list("code", "region__code"))
    assert regions["MA"] == "africa"
    assert regions["ES"] == "europe"
    assert regions["BR"] == "latin-america"
    assert regions["TR"] == "middle-east-west-asia"
    assert regions["KZ"] == "eurasia"
    assert regions["CA"] == "north-america"
    assert regions["IN"] == "asia-pacific"


def test_loading_again_changes_nothing():
    before = list(Country.objects.values_list("id", "code", "name_en", "name_fr", "region_id"))
    assert load_reference_data() == {"regions": 0, "countries": 0}
    after = list(Country.objects.values_list("id", "code", "name_en", "name_fr", "region_id"))
    assert after == before
    assert Region.objects.count() == 7


def test_loading_repairs_a_changed_name_without_duplicating():
    Country.objects.filter(code="DE").update(name_fr="Germanie")
    assert load_reference_data() == {"regions": 0, "countries": 1}
    assert Country.objects.get(code="DE").name_fr == "Allemagne"
    assert Country.objects.count() == 249
