"""Reference data every installation has: the network's world regions and ISO countries.

The regions are the sections of the network (the UCLG model). The countries are every
entry of ISO 3166-1 as maintained by pycountry, with English, French and Spanish names
from the iso-codes translations it ships. `load_reference_data()` is run after every
`migrate` (see `NetworkConfig.ready`), so fresh installs and test databases have them;
it is idempotent and only writes what differs.
"""

import gettext
from functools import cache

import pycountry
from django.db import connections, transaction
from django.utils import translation

from .choices import forget_directory_results, forget_filter_choices
from .models import Country, Region

# (code, English, French, Spanish), in display order.
REGIONS = [
    ("africa", "Africa", "Afrique", "África"),
    ("asia-pacific", "Asia-Pacific", "Asie-Pacifique", "Asia-Pacífico"),
    ("eurasia", "Eurasia", "Eurasie", "Eurasia"),
    ("europe", "Europe", "Europe", "Europa"),
    ("latin-america", "Latin America", "Amérique latine", "América Latina"),
    (
        "middle-east-west-asia",
        "Middle East & West Asia",
        "Moyen-Orient et Asie de l'Ouest",
        "Oriente Medio y Asia Occidental",
    ),
    ("north-america", "North America", "Amérique du Nord", "América del Norte"),
]

# The section each ISO 3166-1 alpha-2 code belongs to. Dependent territories go to the
# section nearest to them (e.g. Réunion with Africa, Greenland with North America,
# the Caribbean territories with Latin America, Pacific islands with Asia-Pacific).
_REGION_MEMBERS = {
    "africa": (
        "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW KE KM LR LS "
        "LY MA MG ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TF TG TN TZ "
        "UG YT ZA ZM ZW"
    ),
    "asia-pacific": (
        "AF AQ AS AU BD BN BT CC CK CN CX FJ FM GU HK HM ID IN IO JP KH KI KP KR LA LK MH "
        "MM MN MO MP MV MY NC NF NP NR NU NZ PF PG PH PK PN PW SB SG TH TK TL TO TV TW VN "
        "VU WF WS"
    ),
    "eurasia": "AM AZ BY GE KG KZ RU TJ TM UZ",
    "europe": (
        "AD AL AT AX BA BE BG BV CH CY CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS "
        "IT JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS SE SI SJ SK SM UA VA"
    ),
    "latin-america": (
        "AG AI AR AW BB BL BO BQ BR BS BZ CL CO CR CU CW DM DO EC FK GD GF GP GS GT GY HN "
        "HT JM KN KY LC MF MQ MS MX NI PA PE PR PY SR SV SX TC TT UY VC VE VG VI"
    ),
    "middle-east-west-asia": "AE BH IL IQ IR JO KW LB OM PS QA SA SY TR YE",
    "north-america": "BM CA GL PM UM US",
}

COUNTRY_REGIONS: dict[str, str] = {
    code: region for region, codes in _REGION_MEMBERS.items() for code in codes.split()
}


@cache
def _translations(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])


def country_names(entry) -> tuple[str, str, str]:
    """English, French and Spanish names of a pycountry country.

    The English name is the common one where ISO gives it ("Bolivia" rather than
    "Bolivia, Plurinational State of"); the translations are of the official name,
    the form the iso-codes translators translate.
    """
    english = getattr(entry, "common_name", None) or entry.name
    french = _translations("fr").gettext(entry.name)
    spanish = _translations("es").gettext(entry.name)
    return english, french, spanish


def _differs(obj, values: dict) -> bool:
    return any(getattr(obj, field) != value for field, value in values.items())


def load_reference_data() -> dict[str, int]:
    """Create or update the regions and countries; return how many rows were written."""
    # modeltranslation maps `name` to the active language: write with English active so
    # that the untranslated column holds the English name.
    with translation.override("en"), transaction.atomic():
        return _load()


def _load() -> dict[str, int]:
    written = {"regions": 0, "countries": 0}

    regions = {region.code: region for region in Region.objects.all()}
    new_regions, changed_regions = [], []
    for position, (code, en, fr, es) in enumerate(REGIONS, start=1):
        values = {"name": en, "name_en": en, "name_fr": fr, "name_es": es, "position": position}
        region = regions.get(code)
        if region is None:
            region = Region(code=code)
            for field, value in values.items():
                setattr(region, field, value)
            new_regions.append(region)
        elif _differs(region, values):
            for field, value in values.items():
                setattr(region, field, value)
            changed_regions.append(region)
    Region.objects.bulk_create(new_regions)
    Region.objects.bulk_update(
        changed_regions, ["name", "name_en", "name_fr", "name_es", "position"]
    )
    written["regions"] = len(new_regions) + len(changed_regions)
    region_ids = dict(Region.objects.values_list("code", "id"))

    countries = {country.code: country for country in Country.objects.all()}
    new_countries, changed_countries, moved_countries = [], [], []
    for entry in pycountry.countries:
        en, fr, es = country_names(entry)
        values = {
            "alpha3": entry.alpha_3,
            "name": en,
            "name_en": en,
            "name_fr": fr,
            "name_es": es,
            "region_id": region_ids[COUNTRY_REGIONS[entry.alpha_2]],
        }
        country = countries.get(entry.alpha_2)
        if country is None:
            country = Country(code=entry.alpha_2)
            for field, value in values.items():
                setattr(country, field, value)
            new_countries.append(country)
        elif _differs(country, values):
            if country.region_id != values["region_id"]:
                moved_countries.append(country)
            for field, value in values.items():
                setattr(country, field, value)
            changed_countries.append(country)
    Country.objects.bulk_create(new_countries)
    Country.objects.bulk_update(
        changed_countries, ["alpha3", "name", "name_en", "name_fr", "name_es", "region_id"]
    )
    if moved_countries:
        # A country given to another section: its organisations, and the copies of their
        # region, follow it (as when it is moved in the back office).
        from .services import move_organisations_with_their_countries

        move_organisations_with_their_countries(moved_countries)
    written["countries"] = len(new_countries) + len(changed_countries)
    if any(written.values()):
        # Written in bulk: no signal.
        forget_filter_choices()
        forget_directory_results()
    return written


def load_reference_data_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate handler: load the reference data when the network tables exist."""
    if using != "default":
        return
    tables = connections[using].introspection.table_names()
    if Region._meta.db_table in tables and Country._meta.db_table in tables:
        load_reference_data()
