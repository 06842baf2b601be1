"""Demo organisations and people: the world of the founding circular (the Rabat meeting).

Cities and populations are real; every person is fictional and every address is at
example.org, so that no demo ever writes to a real person. Records are found again by
their natural keys (`external_ref` "demo:<slug>" for organisations, e-mail for people),
so loading twice changes nothing.
"""

from django.db import transaction
from django.utils import translation

from network import changes
from network.models import (
    Country,
    MembershipStatus,
    Organisation,
    OrganisationKind,
    Person,
    Visibility,
)

LG = OrganisationKind.LOCAL_GOVERNMENT
RG = OrganisationKind.REGIONAL_GOVERNMENT
AS = OrganisationKind.ASSOCIATION
PA = OrganisationKind.PARTNER
SE = OrganisationKind.SECRETARIAT

# slug: (kind, country, (English, French, Spanish), population, latitude, longitude,
#        working languages, membership status). A French or Spanish name is given only
# where it differs from the English one; the directory falls back to English.
# fmt: off
ORGANISATIONS = {
    "world-secretariat": (
        SE, "ES", ("World Secretariat", "Secrétariat mondial", "Secretariado Mundial"),
        None, 41.3874, 2.1686, ["en", "fr", "es"], MembershipStatus.NON_MEMBER,
    ),
    # The presidencies and the host of the Rabat meeting.
    "durban": (LG, "ZA", ("Durban", "", ""), 3_442_361, -29.8587, 31.0218, ["en"], "member"),
    "porto-alegre": (
        LG, "BR", ("Porto Alegre", "", ""), 1_332_570, -30.0346, -51.2177, ["es", "en"], "member",
    ),
    "bilbao": (LG, "ES", ("Bilbao", "", ""), 345_821, 43.2630, -2.9350, ["es", "en"], "member"),
    "rabat": (LG, "MA", ("Rabat", "", ""), 577_827, 34.0209, -6.8416, ["fr"], "member"),
    # Cities of every region, intermediary cities above all.
    "chefchaouen": (
        LG, "MA", ("Chefchaouen", "", "Chauen"), 42_786, 35.1688, -5.2636, ["fr", "es"], "member",
    ),
    "tetouan": (
        LG, "MA", ("Tetouan", "Tétouan", "Tetuán"), 380_787, 35.5785, -5.3684, ["fr", "es"],
        "member",
    ),
    "saint-louis": (
        LG, "SN", ("Saint-Louis", "", "San Luis"), 254_171, 16.0326, -16.4818, ["fr"], "member",
    ),
    "kisumu": (LG, "KE", ("Kisumu", "", ""), 610_082, -0.0917, 34.7680, ["en"], "member"),
    "otjiwarongo": (
        LG, "NA", ("Otjiwarongo", "", ""), 28_249, -20.4637, 16.6477, ["en"], "member",
    ),
    "mzuzu": (LG, "MW", ("Mzuzu", "", ""), 221_272, -11.4656, 34.0207, ["en"], "member"),
    "maputo": (LG, "MZ", ("Maputo", "", ""), 1_088_449, -25.9692, 32.5732, ["en"], "member"),
    "sfax": (LG, "TN", ("Sfax", "", ""), 330_440, 34.7406, 10.7603, ["fr"], "candidate"),
    "rosario": (LG, "AR", ("Rosario", "", ""), 948_312, -32.9442, -60.6505, ["es"], "member"),
    "cuenca": (LG, "EC", ("Cuenca", "", ""), 329_928, -2.9001, -79.0059, ["es"], "member"),
    "medellin": (
        LG, "CO", ("Medellín", "", ""), 2_427_129, 6.2442, -75.5812, ["es", "en"], "member",
    ),
    "montevideo": (
        LG, "UY", ("Montevideo", "", ""), 1_319_108, -34.9011, -56.1645, ["es"], "member",
    ),
    "quetzaltenango": (
        LG, "GT", ("Quetzaltenango", "", ""), 180_706, 14.8347, -91.5181, ["es"], "member",
    ),
    "lyon": (LG, "FR", ("Lyon", "", "Lyon"), 522_250, 45.7640, 4.8357, ["fr", "en"], "member"),
    "cascais": (LG, "PT", ("Cascais", "", ""), 214_124, 38.6979, -9.4215, ["en"], "member"),
    "iloilo": (
        LG, "PH", ("Iloilo City", "Ville d'Iloilo", "Ciudad de Iloílo"), 457_626, 10.7202,
        122.5621, ["en"], "member",
    ),
    "surabaya": (
        LG, "ID", ("Surabaya", "", ""), 2_874_314, -7.2575, 112.7521, ["en"],
        "member",
    ),
    "kitakyushu": (
        LG, "JP", ("Kitakyushu", "", ""), 939_029, 33.8834, 130.8752, ["en"], "former",
    ),
    "hue": (LG, "VN", ("Hue", "Hué", "Hue"), 652_572, 16.4637, 107.5909, ["en", "fr"], "member"),
    "kazan": (LG, "RU", ("Kazan", "Kazan", "Kazán"), 1_308_660, 55.7963, 49.1088, ["en"], "member"),
    "gyumri": (LG, "AM", ("Gyumri", "Gyumri", "Guiumri"), 121_976, 40.7894, 43.8475, ["en"], "member"),
    "gaziantep": (
        LG, "TR", ("Gaziantep", "", ""), 2_130_432, 37.0662, 37.3833, ["en"], "member",
    ),
    "irbid": (LG, "JO", ("Irbid", "", ""), 502_714, 32.5556, 35.8500, ["en"], "candidate"),
    "montreal": (
        LG, "CA", ("Montreal", "Montréal", "Montreal"), 1_762_949, 45.5019, -73.5674,
        ["fr", "en"], "member",
    ),
    # Regional governments.
    "bizkaia": (
        RG, "ES", ("Provincial Council of Bizkaia", "Députation forale de Biscaye",
                   "Diputación Foral de Bizkaia"),
        1_154_334, 43.2569, -2.9236, ["es"], "member",
    ),
    "tanger-tetouan-al-hoceima": (
        RG, "MA", ("Tanger-Tetouan-Al Hoceima Region", "Région Tanger-Tétouan-Al Hoceïma",
                   "Región Tánger-Tetuán-Alhucemas"),
        3_556_729, 35.7595, -5.8340, ["fr", "es"], "member",
    ),
    # Associations of local governments.
    "uclg-africa": (
        AS, "MA", ("UCLG Africa", "CGLU Afrique", "CGLU África"), None, 34.0132, -6.8326,
        ["fr", "en"], "member",
    ),
    "flacma": (
        AS, "EC",
        ("Latin American Federation of Cities, Municipalities and Local Government "
         "Associations (FLACMA)",
         "Fédération latino-américaine des villes, communes et associations de gouvernements "
         "locaux (FLACMA)",
         "Federación Latinoamericana de Ciudades, Municipios y Asociaciones de Gobiernos "
         "Locales (FLACMA)"),
        None, -0.1807, -78.4678, ["es"], "member",
    ),
    "vng-international": (
        AS, "NL", ("VNG International", "", ""), None, 52.0705, 4.3007, ["en"], "member",
    ),
    "femp": (
        AS, "ES",
        ("Spanish Federation of Municipalities and Provinces (FEMP)",
         "Fédération espagnole des communes et provinces (FEMP)",
         "Federación Española de Municipios y Provincias (FEMP)"),
        None, 40.4168, -3.7038, ["es"], "member",
    ),
    "salga": (
        AS, "ZA",
        ("South African Local Government Association (SALGA)",
         "Association des gouvernements locaux d'Afrique du Sud (SALGA)",
         "Asociación de Gobiernos Locales de Sudáfrica (SALGA)"),
        None, -25.7479, 28.2293, ["en"], "member",
    ),
    "fcm": (
        AS, "CA",
        ("Federation of Canadian Municipalities", "Fédération canadienne des municipalités",
         "Federación de Municipios Canadienses"),
        None, 45.4215, -75.6972, ["en", "fr"], "member",
    ),
    "uclg-mewa": (
        AS, "TR",
        ("UCLG Middle East and West Asia", "CGLU Moyen-Orient et Asie de l'Ouest",
         "CGLU Oriente Medio y Asia Occidental"),
        None, 41.0082, 28.9784, ["en"], "member",
    ),
    "uclg-aspac": (
        AS, "ID", ("UCLG Asia-Pacific", "CGLU Asie-Pacifique", "CGLU Asia-Pacífico"), None,
        -6.2088, 106.8456, ["en"], "member",
    ),
    # Partner organisations.
    "un-habitat": (
        PA, "KE", ("UN-Habitat", "ONU-Habitat", "ONU-Hábitat"), None, -1.2345, 36.8149,
        ["en", "fr", "es"], "non_member",
    ),
    "cities-alliance": (
        PA, "BE", ("Cities Alliance", "", ""), None, 50.8503, 4.3517, ["en", "fr"], "non_member",
    ),
    "connective-cities": (
        PA, "DE", ("Connective Cities", "", ""), None, 50.7374, 7.0982, ["en"], "non_member",
    ),
    "upv-ehu": (
        PA, "ES",
        ("University of the Basque Country", "Université du Pays basque",
         "Universidad del País Vasco"),
        None, 43.3310, -2.9700, ["es", "en"], "non_member",
    ),
}
# fmt: on

WEBSITES = {
    "world-secretariat": "https://www.uclg.org",
    "durban": "https://www.durban.gov.za",
    "porto-alegre": "https://prefeitura.poa.br",
    "bilbao": "https://www.bilbao.eus",
    "rabat": "https://www.rabat.ma",
    "un-habitat": "https://unhabitat.org",
    "cities-alliance": "https://www.citiesalliance.org",
}

PUBLIC, MEMBERS, PRIVATE = Visibility.PUBLIC, Visibility.MEMBERS, Visibility.PRIVATE

# (organisation slug, first name, last name, position, preferred language, visibility,
#  e-mail local part or None for first.last). All fictional.
# fmt: off
PEOPLE = [
    ("world-secretariat", "Núria", "Vidal Pons", "Network coordinator", "es", PUBLIC, "admin"),
    ("world-secretariat", "Olivier", "Marchetti", "Learning programme officer", "fr", PUBLIC, None),
    ("world-secretariat", "Grace", "Oyelaran", "Policy officer, commissions", "en", MEMBERS, None),
    ("world-secretariat", "Lucía", "Ferrer Anglada", "Communication officer", "es", PUBLIC, None),
    ("durban", "Thandeka", "Mkhwanazi", "Coordinator, commission technical secretariat", "en",
     PUBLIC, "secretariat.planning"),
    ("durban", "Mandla", "Zungu-Mthembu", "Deputy Mayor", "en", PUBLIC, "presidency.durban"),
    ("durban", "Priya", "Naidoo-Govender", "Strategic planning manager", "en", MEMBERS, None),
    ("durban", "Sizwe", "Khanyile", "International relations officer", "en", PRIVATE, None),
    ("porto-alegre", "Mariana", "Tavares Lemos", "Secretary for urban planning", "es", PUBLIC,
     None),
    ("porto-alegre", "Rafael", "Conceição Brandt", "Technical secretariat officer", "es", PUBLIC,
     None),
    ("porto-alegre", "Beatriz", "Onofre Salgado", "International cooperation adviser", "en",
     MEMBERS, None),
    ("bilbao", "Amaia", "Etxeberria Larrañaga", "Head, digital city office", "es", PUBLIC,
     "secretariat.digital"),
    ("bilbao", "Iñaki", "Goikoetxea Arana", "Councillor for innovation", "es", PUBLIC, None),
    ("bilbao", "Miren", "Altuna Urquijo", "Knowledge management officer", "en", MEMBERS, None),
    ("rabat", "Salma", "Idrissi Tazi", "International relations officer", "fr", MEMBERS,
     "officer.rabat"),
    ("rabat", "Youssef", "Benkirane El Amrani", "Director of urban planning", "fr", PUBLIC, None),
    ("rabat", "Nadia", "Chraïbi Lahlou", "Protocol officer", "fr", PRIVATE, None),
    ("chefchaouen", "Hamza", "Ouazzani Raissouni", "Mayor's adviser", "fr", PUBLIC, None),
    ("chefchaouen", "Imane", "Skalli Benaboud", "Heritage officer", "es", MEMBERS, None),
    ("tetouan", "Karim", "Torres Benaïssa", "Head of cooperation", "es", MEMBERS, None),
    ("saint-louis", "Aminata", "Ndiaye Sarr", "Deputy mayor for planning", "fr", PUBLIC, None),
    ("saint-louis", "Mamadou", "Diagne Fall", "Climate adaptation officer", "fr", MEMBERS, None),
    ("kisumu", "Achieng", "Odhiambo Were", "County urban planner", "en", PUBLIC, None),
    ("kisumu", "Brian", "Otieno Ochola", "Lakefront programme officer", "en", PRIVATE, None),
    ("otjiwarongo", "Ndapewa", "Shikongo", "Strategic executive, planning", "en", MEMBERS, None),
    ("mzuzu", "Chikondi", "Banda Mwale", "Director of planning", "en", PUBLIC, None),
    ("mzuzu", "Tiyamike", "Phiri Gondwe", "Development officer", "en", MEMBERS, None),
    ("maputo", "Celso", "Mabunda Sitoe", "Councillor for urban planning", "en", PUBLIC, None),
    ("maputo", "Albertina", "Cossa Macuácua", "Municipal cooperation officer", "en", MEMBERS, None),
    ("sfax", "Leïla", "Trabelsi Ayadi", "Head of strategic planning", "fr", MEMBERS, None),
    ("rosario", "Martín", "Sbarra Quiroga", "Secretary for planning", "es", PUBLIC, None),
    ("rosario", "Carolina", "Pellegrini Ruiz", "Strategic plan coordinator", "es", MEMBERS, None),
    ("cuenca", "Diego", "Vintimilla Ordóñez", "Director of territorial planning", "es", PUBLIC,
     None),
    ("medellin", "Valentina", "Restrepo Arango", "Innovation agency manager", "es", PUBLIC, None),
    ("medellin", "Andrés", "Zuluaga Mejía", "Urban projects adviser", "es", MEMBERS, None),
    ("montevideo", "Florencia", "Iturralde Bentancor", "International relations director", "es",
     PUBLIC, None),
    ("quetzaltenango", "Ixchel", "Xicará Cux", "Municipal planning officer", "es", MEMBERS, None),
    ("lyon", "Camille", "Rousset-Fabre", "International affairs officer", "fr", PUBLIC, None),
    ("lyon", "Mathieu", "Garnier-Lambert", "Smart city project lead", "fr", MEMBERS, None),
    ("cascais", "Joana", "Vasconcelos Brito", "Digital transition officer", "en", MEMBERS, None),
    ("iloilo", "Rosalinda", "Villanueva Tan", "City planning officer", "en", PUBLIC, None),
    ("surabaya", "Dewi", "Kusumawati", "Head, development planning agency", "en", MEMBERS, None),
    ("surabaya", "Arief", "Santoso Wibowo", "E-government officer", "en", PRIVATE, None),
    ("kitakyushu", "Haruka", "Matsuda", "International environmental cooperation officer", "en",
     MEMBERS, None),
    ("hue", "Minh Anh", "Trần", "Heritage city planning officer", "fr", MEMBERS, None),
    ("kazan", "Aigul", "Safina", "International relations adviser", "en", MEMBERS, None),
    ("gyumri", "Anahit", "Petrosyan", "Deputy mayor", "en", PUBLIC, None),
    ("gaziantep", "Elif", "Karaca Demirtaş", "Head of strategy development", "en", PUBLIC, None),
    ("gaziantep", "Mehmet", "Aydınlı", "Migration and urban services officer", "en", MEMBERS,
     None),
    ("irbid", "Rania", "Haddad Obeidat", "Local development officer", "en", MEMBERS, None),
    ("montreal", "Geneviève", "Tremblay-Ouellet", "Adviser, international relations", "fr",
     PUBLIC, None),
    ("montreal", "Samuel", "Okafor-Lévesque", "Digital services lead", "en", MEMBERS, None),
    ("bizkaia", "Ane", "Zubizarreta Olano", "Director of territorial strategy", "es", MEMBERS,
     None),
    ("tanger-tetouan-al-hoceima", "Omar", "El Fassi Bennouna", "Regional planning director", "fr",
     MEMBERS, None),
    ("uclg-africa", "Fatou", "Cissé Traoré", "Programme manager, intermediary cities", "fr",
     PUBLIC, None),
    ("uclg-africa", "Kwame", "Asante-Boateng", "Capacity building officer", "en", MEMBERS, None),
    ("flacma", "Gabriela", "Montalvo Andrade", "Executive secretary", "es", PUBLIC, None),
    ("vng-international", "Sanne", "de Vries", "Project manager, city-to-city learning", "en",
     PUBLIC, None),
    ("vng-international", "Joost", "Bakker-Hendriks", "Senior adviser", "en", MEMBERS, None),
    ("femp", "Pilar", "Sánchez Olmedo", "International relations officer", "es", PUBLIC, None),
    ("salga", "Lerato", "Mokoena", "Municipal planning specialist", "en", MEMBERS, None),
    ("fcm", "Isabelle", "Caron-Whitfield", "International programmes manager", "fr", PUBLIC, None),
    ("uclg-mewa", "Zeynep", "Yıldırım Arslan", "Project coordinator", "en", MEMBERS, None),
    ("uclg-aspac", "Rahul", "Menon Pillai", "Programme officer, urban planning", "en", MEMBERS,
     None),
    ("uclg-aspac", "Siti", "Rahmawati", "Knowledge management officer", "en", PRIVATE, None),
    ("un-habitat", "Wanjiru", "Kamau Njoroge", "Programme officer, urban planning", "en", PUBLIC,
     "partner"),
    ("un-habitat", "Pablo", "Esquivel Duarte", "Urban planning adviser", "es", MEMBERS, None),
    ("cities-alliance", "Hélène", "Dubreuil-Mensah", "Country programme manager", "fr", MEMBERS,
     None),
    ("connective-cities", "Jonas", "Albrecht", "Peer learning facilitator", "en", PUBLIC, None),
    ("upv-ehu", "Itziar", "Aguirre Mendizabal", "Professor of urban studies", "es", PUBLIC, None),
    ("upv-ehu", "Xabier", "Uriarte Lasa", "Researcher, smart cities", "es", PRIVATE, None),
]
# fmt: on


def _ascii(text: str) -> str:
    from network.models import normalise_for_search

    # Turkish dotless i has no decomposition; everything else folds to ASCII.
    folded = normalise_for_search(text.replace("ı", "i"))
    return folded.encode("ascii", "ignore").decode().replace(" ", "").replace("'", "")


def person_email(first_name: str, last_name: str, local: str | None = None) -> str:
    if local is None:
        local = f"{_ascii(first_name)}.{_ascii(last_name.split()[0].split('-')[0])}"
    return f"{local}@example.org"


def organisation(slug: str) -> Organisation:
    return Organisation.objects.get(external_ref=f"demo:{slug}")


def load_demo(stdout=None) -> None:
    """Create or update the demo organisations and people."""
    # modeltranslation maps `name` to the active language: English is the source.
    with translation.override("en"), transaction.atomic():
        countries = {c.code: c for c in Country.objects.all()}
        orgs = {}
        for slug, (
            kind,
            country,
            names,
            population,
            lat,
            lon,
            langs,
            status,
        ) in ORGANISATIONS.items():
            org = Organisation.objects.filter(external_ref=f"demo:{slug}").first()
            org = org or Organisation(external_ref=f"demo:{slug}")
            en, fr, es = names
            org.name = en
            org.name_en, org.name_fr, org.name_es = en, fr, es
            org.kind = kind
            org.country = countries[country]
            org.population = population
            org.latitude, org.longitude = lat, lon
            org.working_languages = langs
            org.membership_status = status
            org.website = WEBSITES.get(slug, "")
            org.email = f"contact.{slug}@example.org"
            org.refresh_derived_fields()
            org.save()
            orgs[slug] = org
        # A demo loaded again may have changed organisations that needs and parties copy.
        changes.organisations_changed([org.pk for org in orgs.values()])

        for number, (slug, first, last, position, language, visibility, local) in enumerate(
            PEOPLE, start=1
        ):
            email = person_email(first, last, local)
            Person.objects.update_or_create(
                email=email,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "organisation": orgs[slug],
                    "position": position,
                    "preferred_language": language,
                    "contact_visibility": visibility,
                    # Not a real number: the 555 range, numbered in order.
                    "phone": f"+000 555 {number:04d}",
                },
            )
    if stdout is not None:
        stdout.write(f"network: {len(ORGANISATIONS)} organisations, {len(PEOPLE)} people")
