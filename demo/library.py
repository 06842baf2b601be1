"""Demo records of the knowledge base: the seed's documents and experiences of the
demo cities, written for the demo (plausible, not claimed as real). Idempotent."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from demo.library_experiences import MORE_EXPERIENCES
from library import services
from library.models import SDG, Document, DocumentFile, Experience, PlanningPrinciple, Theme

# (city ref, language, themes, sdgs, years, peer learning, {lang: (title, summary, problem, approach, results, lessons)})
EXPERIENCES = [
    (
        "demo:rabat",
        "fr",
        ["mobility", "strategic-planning"],
        [11],
        (2007, 2011),
        True,
        {
            "fr": (
                "Le tramway de Rabat-Salé et la mobilité urbaine",
                "Deux villes reliées par un tramway et un pont, au cœur d'un projet d'aménagement de la vallée du Bouregreg.",
                "Des déplacements longs et coûteux entre Rabat et Salé, une seule traversée routière saturée.",
                "Une société d'aménagement dédiée, deux lignes de tramway, la réorganisation des bus et des parkings relais.",
                "Plus de 100 000 voyages par jour, des temps de trajet divisés par deux entre les deux rives.",
                "Planifier le transport public avec l'urbanisme, pas après lui.",
            ),
            "es": (
                "El tranvía de Rabat-Salé y la movilidad urbana",
                "Dos ciudades conectadas por un tranvía y un puente, en el centro de un proyecto de ordenación del valle del Bouregreg.",
                "",
                "",
                "",
                "",
            ),
        },
    ),
    (
        "demo:rabat",
        "fr",
        ["housing-basic-services", "inclusion-participation"],
        [1, 11],
        (2005, 2015),
        False,
        {
            "fr": (
                "Résorber l'habitat insalubre dans les quartiers périphériques",
                "Le programme « Villes sans bidonvilles » appliqué avec les habitants.",
                "Des milliers de ménages dans des quartiers informels sans eau ni assainissement.",
                "Recensement participatif, relogement sur site quand c'est possible, lots viabilisés et microcrédit.",
                "Plusieurs quartiers restructurés, raccordés à l'eau potable et à l'assainissement.",
                "Le relogement loin des emplois échoue ; la restructuration sur place réussit mieux.",
            ),
        },
    ),
    (
        "demo:rabat",
        "fr",
        ["heritage", "culture"],
        [11],
        (2012, 2016),
        True,
        {
            "fr": (
                "Rabat, ville lumière : patrimoine et développement",
                "Un programme intégré qui valorise la médina et les jardins historiques.",
                "Un patrimoine inscrit mais dégradé, peu relié à l'économie de la ville.",
                "Restauration des remparts, parcours piétons, équipements culturels et formation d'artisans.",
                "Fréquentation touristique en hausse, emplois dans l'artisanat.",
                "Associer les commerçants de la médina dès la conception.",
            ),
        },
    ),
    (
        "demo:rabat",
        "fr",
        ["digital-cities"],
        [9, 16],
        (2016, 2019),
        False,
        {
            "fr": (
                "Guichet numérique des autorisations d'urbanisme",
                "Les permis de construire déposés et suivis en ligne.",
                "Des délais longs et opaques pour les autorisations.",
                "Dématérialisation des dossiers, suivi public des délais, formation des agents.",
                "Délais moyens réduits de moitié.",
                "La transparence des délais change le comportement de l'administration.",
            ),
        },
    ),
    (
        "demo:durban",
        "en",
        ["strategic-planning", "intermediary-cities"],
        [11, 17],
        (2010, 2014),
        True,
        {
            "en": (
                "Long-term strategic planning with Imagine Durban",
                "A city-wide long-term plan built with residents, business and civil society.",
                "Plans that changed with each council term and did not reach the townships.",
                "Public visioning, ward-based workshops, a 50-year plan linked to the municipal budget.",
                "Priorities shared across terms; capital budget aligned with the long-term plan.",
                "A long-term plan lives only if the budget follows it.",
            ),
            "fr": (
                "Planification stratégique à long terme avec Imagine Durban",
                "Un plan à long terme pour toute la ville, construit avec les habitants, les entreprises et la société civile.",
                "",
                "",
                "",
                "",
            ),
        },
    ),
    (
        "demo:durban",
        "en",
        ["local-economic-development", "inclusion-participation"],
        [8],
        (2008, 2013),
        True,
        {
            "en": (
                "Informal traders at Warwick Junction",
                "Street vendors and the city designed the market precinct together.",
                "Thousands of informal traders at a transport hub, evicted repeatedly.",
                "Trader committees, shelters, storage and water points, a joint management forum.",
                "Incomes stabilised; the precinct became a reference for inclusive markets.",
                "Recognising the informal economy as part of the city pays off.",
            ),
            "es": (
                "Comercio informal en Warwick Junction",
                "Los vendedores ambulantes y la ciudad diseñaron juntos el mercado.",
                "",
                "",
                "",
                "",
            ),
        },
    ),
    (
        "demo:durban",
        "en",
        ["climate-action", "resilience"],
        [13],
        (2009, 2015),
        False,
        {
            "en": (
                "Municipal climate protection programme",
                "Climate adaptation planned at community level.",
                "Flooding and heat waves hitting the poorest areas first.",
                "Community adaptation plans, ecosystem restoration along rivers, early-warning systems.",
                "Restored river catchments reduced flood damage.",
                "Ecosystems are infrastructure: budget them as such.",
            ),
        },
    ),
    (
        "demo:durban",
        "en",
        ["water-sanitation", "housing-basic-services"],
        [6],
        (2004, 2012),
        False,
        {
            "en": (
                "Free basic water for every household",
                "A lifeline supply of drinking water and community toilet blocks.",
                "Households in informal settlements without safe water or sanitation.",
                "A free basic allowance, flow limiters, ablution blocks in containers.",
                "Hundreds of thousands gained access to water and sanitation.",
                "Tariffs can protect the poor and keep the utility solvent.",
            ),
        },
    ),
    (
        "demo:durban",
        "en",
        ["public-space", "gender-equality"],
        [5, 11],
        (2015, 2018),
        True,
        {
            "en": (
                "Safer public spaces for women",
                "Street lighting and walking routes redesigned with women's groups.",
                "Women avoided parks and routes to transport after dark.",
                "Safety audits by women, lighting plans, market stalls along walking routes.",
                "Night-time use of public space increased.",
                "Those who walk the routes know where the danger is.",
            ),
        },
    ),
    (
        "demo:bilbao",
        "es",
        ["strategic-planning", "culture"],
        [11],
        (1991, 2010),
        True,
        {
            "es": (
                "La regeneración urbana de la ría de Bilbao",
                "De ciudad industrial en crisis a ciudad de servicios y cultura.",
                "Cierre de industrias, desempleo y una ría contaminada.",
                "Un plan estratégico metropolitano, una sociedad pública de regeneración y grandes equipamientos culturales.",
                "Recuperación de la ría, nuevos empleos, metro y tranvía.",
                "La planificación estratégica necesita una alianza estable entre administraciones.",
            ),
            "en": (
                "The urban regeneration of Bilbao's estuary",
                "From an industrial city in crisis to a city of services and culture.",
                "",
                "",
                "",
                "",
            ),
            "fr": (
                "La régénération urbaine de la ría de Bilbao",
                "D'une ville industrielle en crise à une ville de services et de culture.",
                "",
                "",
                "",
                "",
            ),
        },
    ),
    (
        "demo:bilbao",
        "es",
        ["digital-cities", "inclusion-participation"],
        [9, 16],
        (2012, 2017),
        True,
        {
            "es": (
                "Gobierno abierto y datos abiertos en Bilbao",
                "Un portal de datos abiertos y servicios en línea para la ciudadanía.",
                "Información municipal dispersa y poco accesible.",
                "Portal de datos abiertos, carpeta ciudadana, presupuesto explicado en línea.",
                "Cientos de conjuntos de datos publicados y reutilizados.",
                "Publicar datos exige un equipo que los mantenga.",
            ),
        },
    ),
    (
        "demo:bilbao",
        "es",
        ["mobility"],
        [11, 13],
        (2018, 2022),
        False,
        {
            "es": (
                "Ciudad 30: movilidad urbana más segura",
                "Velocidad máxima de 30 km/h en todas las calles de la ciudad.",
                "Accidentes, ruido y contaminación del tráfico.",
                "Límite general de 30 km/h, calles peatonales, carriles bici.",
                "Menos accidentes graves y menos ruido.",
                "Comunicar antes de aplicar evita el rechazo.",
            ),
        },
    ),
    (
        "demo:bilbao",
        "es",
        ["local-economic-development", "digital-cities"],
        [8, 9],
        (2014, 2019),
        False,
        {
            "es": (
                "Un distrito de innovación en Zorrotzaurre",
                "Una isla industrial transformada en barrio de empresas creativas y vivienda.",
                "Suelo industrial abandonado e inundable.",
                "Plan maestro, canal de protección contra inundaciones, usos mixtos.",
                "Nuevas empresas y viviendas en construcción.",
                "La resiliencia frente a inundaciones es condición previa de la regeneración.",
            ),
        },
    ),
    (
        "demo:porto-alegre",
        "es",
        ["inclusion-participation", "local-finance"],
        [16, 10],
        (1989, 2004),
        True,
        {
            "es": (
                "Presupuesto participativo de Porto Alegre",
                "La ciudadanía decide cada año una parte de la inversión municipal.",
                "Inversiones decididas sin los barrios más pobres.",
                "Asambleas por barrio y por tema, delegados electos, consejo del presupuesto.",
                "Más inversión en saneamiento y pavimentación en los barrios periféricos.",
                "La participación se mantiene si las decisiones se cumplen.",
            ),
            "fr": (
                "Le budget participatif de Porto Alegre",
                "Les habitants décident chaque année d'une partie de l'investissement municipal.",
                "",
                "",
                "",
                "",
            ),
            "en": (
                "Participatory budgeting in Porto Alegre",
                "Residents decide every year on part of the municipal investment.",
                "",
                "",
                "",
                "",
            ),
        },
    ),
    (
        "demo:porto-alegre",
        "es",
        ["strategic-planning", "land-management"],
        [11],
        (2008, 2012),
        False,
        {
            "es": (
                "Plan director de desarrollo urbano ambiental",
                "Revisión participativa del plan director de la ciudad.",
                "Un plan desactualizado frente al crecimiento urbano.",
                "Conferencias de la ciudad, mapas de riesgo, zonificación por densidad.",
                "Plan aprobado por el concejo con amplio consenso.",
                "Los mapas de riesgo ayudan a decidir donde no construir.",
            ),
        },
    ),
    (
        "demo:porto-alegre",
        "es",
        ["resilience", "climate-action"],
        [13, 11],
        (2014, 2018),
        True,
        {
            "es": (
                "Estrategia de resiliencia frente a las inundaciones",
                "Una estrategia de resiliencia urbana con diques, drenaje y alerta temprana.",
                "Inundaciones recurrentes del lago Guaíba.",
                "Diagnóstico de riesgos, obras de drenaje, planes de emergencia por barrio.",
                "Barrios mejor preparados ante las crecidas.",
                "Mantener las obras de protección es tan importante como construirlas.",
            ),
        },
    ),
    (
        "demo:porto-alegre",
        "es",
        ["waste-management", "local-economic-development"],
        [12, 8],
        (2000, 2010),
        False,
        {
            "es": (
                "Reciclaje con cooperativas de recicladores",
                "La recogida selectiva de residuos confiada a cooperativas.",
                "Recicladores informales en condiciones precarias.",
                "Contratos con cooperativas, galpones de clasificación, formación.",
                "Ingresos estables para cientos de familias recicladoras.",
                "Integrar al sector informal mejora el servicio y los ingresos.",
            ),
        },
    ),
    (
        "demo:durban",
        "en",
        ["health"],
        [3],
        (2011, 2016),
        False,
        {
            "en": (
                "Community health workers in every ward",
                "Home visits linking households to clinics.",
                "Clinics far from informal settlements.",
                "Trained community health workers, ward health committees.",
                "More children vaccinated, earlier treatment.",
                "Local recruitment builds trust.",
            ),
        },
    ),
    (
        "demo:rabat",
        "fr",
        ["migration", "inclusion-participation"],
        [10, 16],
        (2014, 2018),
        False,
        {
            "fr": (
                "Accueillir les migrants dans les services municipaux",
                "Un guichet d'accueil et d'orientation pour les migrants.",
                "Des migrants sans accès aux services de base.",
                "Guichet unique, médiateurs, partenariats avec les associations.",
                "Milliers de personnes orientées vers la santé, l'école et l'emploi.",
                "La ville peut agir même quand la migration relève de l'État.",
            ),
        },
    ),
    (
        "demo:bilbao",
        "es",
        ["intermediary-cities", "decentralisation"],
        [11, 17],
        (2013, 2015),
        True,
        {
            "es": (
                "Cooperación entre ciudades intermedias del arco atlántico",
                "Intercambio entre ciudades intermedias sobre planificación estratégica.",
                "Ciudades intermedias con pocos recursos técnicos de planificación.",
                "Visitas de estudio, aprendizaje entre pares, guía común.",
                "Cinco ciudades adoptaron un plan estratégico.",
                "El aprendizaje entre ciudades funciona mejor con un tema preciso.",
            ),
            "fr": (
                "Coopération entre villes intermédiaires de l'arc atlantique",
                "Échanges entre villes intermédiaires sur la planification stratégique.",
                "",
                "",
                "",
                "",
            ),
        },
    ),
]

FIELDS = ("title", "summary", "problem", "approach", "results", "lessons")

RECOMMENDATIONS = [
    (
        1,
        "Place local leadership at the centre of every planning process.",
        "Placer le leadership local au centre de tout processus de planification.",
        "Situar el liderazgo local en el centro de todo proceso de planificación.",
    ),
    (
        2,
        "Make strategic plans the result of a participatory and transparent process.",
        "Faire du plan stratégique le fruit d'un processus participatif et transparent.",
        "Hacer del plan estratégico el fruto de un proceso participativo y transparente.",
    ),
    (
        6,
        "Link strategic plans to municipal budgets and investment programmes.",
        "Relier les plans stratégiques aux budgets municipaux et aux programmes d'investissement.",
        "Vincular los planes estratégicos a los presupuestos municipales y a los programas de inversión.",
    ),
    (
        9,
        "Integrate risk reduction and climate adaptation into strategic planning.",
        "Intégrer la réduction des risques et l'adaptation climatique à la planification stratégique.",
        "Integrar la reducción de riesgos y la adaptación climática en la planificación estratégica.",
    ),
    (
        12,
        "Invest in the planning capacities of intermediary cities and in city-to-city learning.",
        "Investir dans les capacités de planification des villes intermédiaires et l'apprentissage entre villes.",
        "Invertir en las capacidades de planificación de las ciudades intermedias y en el aprendizaje entre ciudades.",
    ),
]


def _organisations(*refs):
    from network.models import Organisation

    found = Organisation.objects.in_bulk(list(refs), field_name="external_ref")
    return [found[ref] for ref in refs if ref in found]


def _commissions(*slugs):
    from commissions.models import Commission

    return list(Commission.objects.filter(slug__in=slugs))


def _load_experiences(stdout) -> int:
    created = 0
    for ref, language, theme_keys, sdg_numbers, (start, end), peer, texts in (
        EXPERIENCES + MORE_EXPERIENCES
    ):
        cities = _organisations(ref)
        if not cities:
            continue
        city = cities[0]
        original = texts[language]
        if Experience.objects.filter(city=city, **{f"title_{language}": original[0]}).exists():
            continue
        experience = services.create_experience(
            city=city,
            original_language=language,
            texts=dict(zip(FIELDS, original, strict=True)),
            themes=Theme.objects.filter(key__in=theme_keys),
            sdgs=SDG.objects.filter(number__in=sdg_numbers),
            start_year=start,
            end_year=end,
            offers_peer_learning=peer,
            actor=None,
        )
        for code, values in texts.items():
            if code != language:
                services.update_experience(
                    experience,
                    language=code,
                    texts={f: v for f, v in zip(FIELDS, values, strict=True) if v},
                    actor=None,
                )
        services.submit_experience(experience, actor=None)
        services.publish_experience(experience, actor=None)
        created += 1
    return created


def _text_file(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


def _document(title_en: str, **values) -> tuple[Document, bool]:
    existing = Document.objects.filter(title_en=title_en).first()
    if existing:
        return existing, False
    return services.create_document(
        title=title_en, original_language="en", actor=None, **values
    ), True


def _load_documents() -> int:
    both = _commissions("strategic-urban-planning", "digital-knowledge-cities")
    planning = _commissions("strategic-urban-planning")
    created = 0

    report, new = _document(
        "Report of the joint meeting in Rabat, 1 October 2013",
        kind="report",
        date=datetime.date(2013, 10, 15),
        abstract=(
            "More than 60 representatives of cities, associations of local authorities and "
            "organisations from different world regions met in Rabat to strengthen the "
            "city-to-city learning programme and define the learning agenda."
        ),
        translations={
            "fr": {
                "title": "Rapport de la réunion conjointe de Rabat, 1er octobre 2013",
                "abstract": "Plus de 60 représentants de villes, d'associations de collectivités locales et d'organisations de différentes régions du monde se sont réunis à Rabat pour renforcer le programme d'apprentissage de ville à ville.",
            },
            "es": {
                "title": "Informe de la reunión conjunta de Rabat, 1 de octubre de 2013",
                "abstract": "Más de 60 representantes de ciudades, asociaciones de gobiernos locales y organizaciones de distintas regiones se reunieron en Rabat para fortalecer el programa de aprendizaje entre ciudades.",
            },
        },
        authors=_organisations("demo:world-secretariat", "demo:rabat"),
        commissions=both,
        themes=Theme.objects.filter(key__in=["strategic-planning", "digital-cities"]),
        tags=["rabat-2013", "learning agenda"],
    )
    if new:
        for code, text in (
            (
                "fr",
                "Rapport de la réunion conjointe. Apprentissage de ville à ville, besoins d'apprentissage, villes intermédiaires, lignes directrices des Nations unies.",
            ),
            (
                "en",
                "Report of the joint meeting. City-to-city learning, learning needs, intermediary cities, UN guidelines on urban and territorial planning.",
            ),
        ):
            services.add_document_file(
                report,
                version_number=1,
                is_final=True,
                language=code,
                uploaded_file=_text_file(f"rabat-report-{code}.txt", text),
                actor=None,
            )
        services.publish_document(report, actor=None)
        created += 1

    framework, new = _document(
        "Framework Document on Intermediary Cities",
        kind="framework",
        date=datetime.date(2014, 3, 1),
        abstract="The role of intermediary cities in balanced territorial development, their planning challenges and how peer learning supports them.",
        translations={
            "fr": {
                "title": "Document cadre sur les villes intermédiaires",
                "abstract": "Le rôle des villes intermédiaires dans un développement territorial équilibré.",
            },
            "es": {
                "title": "Documento marco sobre las ciudades intermedias",
                "abstract": "El papel de las ciudades intermedias en un desarrollo territorial equilibrado.",
            },
        },
        authors=_organisations("demo:world-secretariat"),
        commissions=planning,
        themes=Theme.objects.filter(key__in=["intermediary-cities", "strategic-planning"]),
        sdgs=SDG.objects.filter(number__in=[11]),
        tags=["workstream: intermediary cities"],
    )
    if new:
        for number, label, final, code, text in (
            (
                1,
                "First draft",
                False,
                "en",
                "First draft. Intermediary cities between 50,000 and one million inhabitants.",
            ),
            (
                2,
                "Draft discussed in Rabat",
                False,
                "en",
                "Draft discussed in Rabat. Intermediary cities, planning capacities, rural-urban linkages.",
            ),
            (
                3,
                "Final version",
                True,
                "en",
                "Final version. Intermediary cities, strategic planning, peer learning and case studies.",
            ),
            (
                3,
                "Final version",
                True,
                "fr",
                "Version finale. Villes intermédiaires, planification stratégique, apprentissage entre pairs.",
            ),
            (
                3,
                "Final version",
                True,
                "es",
                "Versión final. Ciudades intermedias, planificación estratégica, aprendizaje entre pares.",
            ),
        ):
            services.add_document_file(
                framework,
                version_number=number,
                version_label=label,
                is_final=final,
                language=code,
                uploaded_file=_text_file(f"framework-v{number}-{code}.txt", text),
                actor=None,
            )
        services.publish_document(framework, actor=None)
        created += 1

    paper, new = _document(
        "Policy Paper on Urban Strategic Planning",
        kind="policy_paper",
        date=datetime.date(2010, 11, 1),
        abstract="Why local governments should lead strategic planning, and how: recommendations to feed the UN International Guidelines on Urban and Territorial Planning.",
        translations={
            "fr": {
                "title": "Document d'orientation politique sur la planification urbaine stratégique",
                "abstract": "Pourquoi et comment les gouvernements locaux doivent conduire la planification stratégique.",
            },
            "es": {
                "title": "Documento de política sobre planificación urbana estratégica",
                "abstract": "Por qué y cómo los gobiernos locales deben liderar la planificación estratégica.",
            },
        },
        authors=_organisations("demo:durban", "demo:porto-alegre"),
        commissions=planning,
        themes=Theme.objects.filter(key__in=["strategic-planning"]),
        sdgs=SDG.objects.filter(number__in=[11, 16]),
        principles=PlanningPrinciple.objects.filter(number__in=[1, 2, 12]),
        tags=["workstream: UN guidelines"],
    )
    if new:
        services.add_document_file(
            paper,
            version_number=1,
            is_final=True,
            language="en",
            uploaded_file=_text_file(
                "policy-paper-en.txt",
                "Policy paper on urban strategic planning. Local leadership, participation, budgets, resilience.",
            ),
            actor=None,
        )
        for number, en, fr, es in RECOMMENDATIONS:
            services.add_document_item(
                paper,
                kind="recommendation",
                texts={"en": en, "fr": fr, "es": es},
                principles=PlanningPrinciple.objects.filter(number=number),
                actor=None,
            )
        services.publish_document(paper, actor=None)
        created += 1
    return created


def load_demo(stdout=None) -> None:
    from search import registry
    from search import services as search_services

    experiences = _load_experiences(stdout)
    documents = _load_documents()
    # Indexed now rather than by the worker, so that the demo is searchable at once.
    for object_type in registry.object_types():
        search_services.rebuild(object_type)
    if stdout is not None:
        stdout.write(
            f"library: {experiences} experiences and {documents} documents added; "
            f"{DocumentFile.objects.count()} files; search index rebuilt\n"
        )
