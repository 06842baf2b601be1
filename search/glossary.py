"""The seed of the trilingual glossary of urban-policy terms.

Loaded after every `migrate`: missing concepts are added, existing ones are left as
the secretariat edited them.
"""

from django.db import transaction

# key: (English, French, Spanish); variants separated by commas.
TERMS = {
    "planning": ("planning, plan", "planification, plan", "planificación, planeamiento, plan"),
    "urban-planning": (
        "urban planning, town planning",
        "urbanisme, planification urbaine",
        "urbanismo, planificación urbana",
    ),
    "strategic-planning": (
        "strategic planning",
        "planification stratégique",
        "planificación estratégica",
    ),
    "territorial-planning": (
        "territorial planning, spatial planning",
        "aménagement du territoire, planification territoriale",
        "ordenamiento territorial, planificación territorial",
    ),
    "master-plan": (
        "master plan",
        "schéma directeur, plan directeur",
        "plan maestro, plan director",
    ),
    "land-use": ("land use, zoning", "occupation des sols, zonage", "uso del suelo, zonificación"),
    "land": ("land", "foncier, terrain", "suelo, terreno"),
    "urban": ("urban", "urbain, urbaine", "urbano, urbana"),
    "city": ("city, cities", "ville, villes, cité", "ciudad, ciudades"),
    "intermediary-city": (
        "intermediary city, secondary city, intermediate city",
        "ville intermédiaire, ville moyenne",
        "ciudad intermedia",
    ),
    "metropolis": (
        "metropolis, metropolitan area",
        "métropole, aire métropolitaine",
        "metrópolis, área metropolitana",
    ),
    "local-government": (
        "local government, municipality, local authority",
        "collectivité locale, collectivité territoriale, municipalité, commune",
        "gobierno local, municipio, ayuntamiento, municipalidad",
    ),
    "mayor": ("mayor", "maire", "alcalde, alcaldesa, intendente"),
    "council": ("council, city council", "conseil municipal", "concejo municipal, cabildo"),
    "neighbourhood": ("neighbourhood, neighborhood, district", "quartier", "barrio, vecindario"),
    "informal-settlement": (
        "informal settlement, slum",
        "quartier informel, bidonville, habitat informel",
        "asentamiento informal, barrio marginal, villa miseria, favela",
    ),
    "upgrading": (
        "upgrading, regeneration, renewal",
        "réhabilitation, renouvellement urbain, rénovation",
        "mejoramiento, regeneración, renovación urbana",
    ),
    "housing": ("housing, dwelling", "logement, habitat", "vivienda"),
    "social-housing": (
        "social housing, affordable housing, public housing",
        "logement social, logement abordable",
        "vivienda social, vivienda asequible",
    ),
    "basic-services": (
        "basic services",
        "services de base, services essentiels",
        "servicios básicos",
    ),
    "water": ("water, drinking water", "eau, eau potable", "agua, agua potable"),
    "sanitation": ("sanitation, sewerage", "assainissement", "saneamiento, alcantarillado"),
    "waste": ("waste, solid waste, garbage", "déchets, ordures", "residuos, basura, desechos"),
    "recycling": ("recycling", "recyclage", "reciclaje"),
    "energy": ("energy", "énergie", "energía"),
    "electricity": ("electricity", "électricité", "electricidad"),
    "mobility": ("mobility", "mobilité", "movilidad"),
    "urban-mobility": ("urban mobility", "mobilité urbaine", "movilidad urbana"),
    "transport": ("transport, transportation, transit", "transport, transports", "transporte"),
    "public-transport": (
        "public transport, mass transit",
        "transports en commun, transport public",
        "transporte público, transporte colectivo",
    ),
    "bus-rapid-transit": (
        "bus rapid transit, brt",
        "bus à haut niveau de service, bhns",
        "bus de tránsito rápido, brt, metrobús",
    ),
    "cycling": (
        "cycling, bicycle, bike lane",
        "vélo, cyclisme, piste cyclable",
        "bicicleta, ciclovía, ciclismo",
    ),
    "walking": (
        "walking, pedestrian, walkability",
        "marche, piéton, piétons",
        "caminar, peatón, peatonal",
    ),
    "traffic": (
        "traffic, congestion",
        "circulation, trafic, embouteillages",
        "tráfico, congestión",
    ),
    "road": ("road, street", "route, rue, voirie", "carretera, calle, vía"),
    "public-space": (
        "public space, square, plaza",
        "espace public, place",
        "espacio público, plaza",
    ),
    "park": (
        "park, green space, green areas",
        "parc, espace vert, espaces verts",
        "parque, espacio verde, áreas verdes",
    ),
    "infrastructure": ("infrastructure", "infrastructure, infrastructures", "infraestructura"),
    "finance": (
        "finance, funding, financing",
        "finances, financement",
        "finanzas, financiación, financiamiento",
    ),
    "local-finance": (
        "local finance, municipal finance",
        "finances locales, fiscalité locale",
        "finanzas locales, finanzas municipales",
    ),
    "budget": ("budget", "budget", "presupuesto"),
    "participatory-budgeting": (
        "participatory budgeting, participatory budget",
        "budget participatif",
        "presupuesto participativo",
    ),
    "tax": (
        "tax, taxation, revenue",
        "impôt, taxe, fiscalité, recettes",
        "impuesto, tributo, recaudación",
    ),
    "investment": ("investment", "investissement", "inversión"),
    "economic-development": (
        "economic development, local economic development",
        "développement économique, développement économique local",
        "desarrollo económico, desarrollo económico local",
    ),
    "employment": ("employment, jobs, work", "emploi, travail", "empleo, trabajo"),
    "informal-economy": (
        "informal economy, informal sector, street vendors",
        "économie informelle, secteur informel, commerce de rue",
        "economía informal, sector informal, vendedores ambulantes",
    ),
    "tourism": ("tourism", "tourisme", "turismo"),
    "market": ("market", "marché", "mercado"),
    "agriculture": (
        "urban agriculture, agriculture",
        "agriculture urbaine, agriculture",
        "agricultura urbana, agricultura",
    ),
    "food": (
        "food, food security",
        "alimentation, sécurité alimentaire",
        "alimentación, seguridad alimentaria",
    ),
    "climate": (
        "climate, climate change",
        "climat, changement climatique",
        "clima, cambio climático",
    ),
    "adaptation": ("adaptation", "adaptation", "adaptación"),
    "mitigation": (
        "mitigation, emissions reduction",
        "atténuation, réduction des émissions",
        "mitigación, reducción de emisiones",
    ),
    "resilience": ("resilience", "résilience", "resiliencia"),
    "disaster-risk": (
        "disaster risk, risk reduction, disaster",
        "risque de catastrophe, réduction des risques, catastrophe",
        "riesgo de desastres, reducción de riesgos, desastre",
    ),
    "flood": ("flood, flooding", "inondation, inondations", "inundación, inundaciones"),
    "heat": ("heat wave, heat", "canicule, chaleur", "ola de calor, calor"),
    "environment": ("environment", "environnement", "medio ambiente, ambiente"),
    "biodiversity": ("biodiversity", "biodiversité", "biodiversidad"),
    "pollution": (
        "pollution, air quality",
        "pollution, qualité de l'air",
        "contaminación, calidad del aire",
    ),
    "sustainability": (
        "sustainability, sustainable development",
        "durabilité, développement durable",
        "sostenibilidad, desarrollo sostenible",
    ),
    "sdg": (
        "sustainable development goals, sdgs, sdg",
        "objectifs de développement durable, odd",
        "objetivos de desarrollo sostenible, ods",
    ),
    "new-urban-agenda": ("new urban agenda", "nouvel agenda urbain", "nueva agenda urbana"),
    "localisation": ("localisation, localization", "localisation", "localización"),
    "participation": (
        "participation, citizen participation, public participation",
        "participation, participation citoyenne",
        "participación, participación ciudadana",
    ),
    "inclusion": (
        "inclusion, social inclusion",
        "inclusion, inclusion sociale",
        "inclusión, inclusión social",
    ),
    "governance": ("governance", "gouvernance", "gobernanza"),
    "decentralisation": (
        "decentralisation, decentralization",
        "décentralisation",
        "descentralización",
    ),
    "transparency": (
        "transparency, accountability",
        "transparence, redevabilité",
        "transparencia, rendición de cuentas",
    ),
    "democracy": (
        "local democracy, democracy",
        "démocratie locale, démocratie",
        "democracia local, democracia",
    ),
    "civil-society": (
        "civil society, community, communities",
        "société civile, communauté",
        "sociedad civil, comunidad",
    ),
    "gender": (
        "gender, gender equality, women",
        "genre, égalité de genre, femmes",
        "género, igualdad de género, mujeres",
    ),
    "youth": ("youth, young people", "jeunesse, jeunes", "juventud, jóvenes"),
    "older-people": (
        "older people, elderly, ageing",
        "personnes âgées, vieillissement",
        "personas mayores, envejecimiento",
    ),
    "disability": (
        "disability, accessibility",
        "handicap, accessibilité",
        "discapacidad, accesibilidad",
    ),
    "migration": (
        "migration, migrants, refugees",
        "migration, migrants, réfugiés",
        "migración, migrantes, refugiados",
    ),
    "poverty": ("poverty", "pauvreté", "pobreza"),
    "inequality": (
        "inequality, inequalities",
        "inégalités, inégalité",
        "desigualdad, desigualdades",
    ),
    "health": ("health, public health", "santé, santé publique", "salud, salud pública"),
    "education": ("education, schools", "éducation, écoles", "educación, escuelas"),
    "culture": ("culture, cultural", "culture, culturel", "cultura, cultural"),
    "heritage": (
        "heritage, historic centre, historic center",
        "patrimoine, centre historique",
        "patrimonio, centro histórico",
    ),
    "safety": (
        "safety, security, crime prevention",
        "sécurité, prévention de la délinquance",
        "seguridad, prevención del delito",
    ),
    "digital": (
        "digital, digitalisation, digital transformation",
        "numérique, transformation numérique",
        "digital, transformación digital, digitalización",
    ),
    "smart-city": ("smart city", "ville intelligente", "ciudad inteligente"),
    "open-data": ("open data", "données ouvertes, open data", "datos abiertos"),
    "e-government": (
        "e-government, online services",
        "administration électronique, services en ligne",
        "gobierno electrónico, servicios en línea",
    ),
    "knowledge": ("knowledge, knowledge-based", "connaissance, savoir", "conocimiento"),
    "innovation": ("innovation", "innovation", "innovación"),
    "peer-learning": (
        "peer learning, peer-to-peer learning, city-to-city learning",
        "apprentissage entre pairs, apprentissage de ville à ville",
        "aprendizaje entre pares, aprendizaje entre ciudades",
    ),
    "cooperation": (
        "decentralised cooperation, city-to-city cooperation, cooperation",
        "coopération décentralisée, coopération de ville à ville, coopération",
        "cooperación descentralizada, cooperación entre ciudades, cooperación",
    ),
    "partnership": ("partnership", "partenariat", "alianza, asociación, hermanamiento"),
    "capacity-building": (
        "capacity building, training",
        "renforcement des capacités, formation",
        "fortalecimiento de capacidades, capacitación, formación",
    ),
    "monitoring": (
        "monitoring, evaluation, indicators",
        "suivi, évaluation, indicateurs",
        "seguimiento, monitoreo, evaluación, indicadores",
    ),
    "policy": (
        "policy, public policy",
        "politique, politique publique",
        "política, política pública",
    ),
    "guidelines": ("guidelines", "lignes directrices", "directrices"),
    "recommendation": (
        "recommendation, recommendations",
        "recommandation, recommandations",
        "recomendación, recomendaciones",
    ),
    "framework-document": ("framework document", "document cadre", "documento marco"),
    "policy-paper": ("policy paper", "document d'orientation politique", "documento de política"),
    "rural": (
        "rural, rural-urban linkages",
        "rural, liens urbain-rural",
        "rural, vínculos urbano-rurales",
    ),
    "growth": (
        "urban growth, urbanisation, urbanization, sprawl",
        "croissance urbaine, urbanisation, étalement urbain",
        "crecimiento urbano, urbanización, expansión urbana",
    ),
    "density": ("density, compact city", "densité, ville compacte", "densidad, ciudad compacta"),
    "metropolitan-governance": (
        "metropolitan governance",
        "gouvernance métropolitaine",
        "gobernanza metropolitana",
    ),
    "port": ("port, waterfront", "port, front de mer", "puerto, frente marítimo"),
}


@transaction.atomic
def load_glossary() -> None:
    """Add the seed concepts that are missing (idempotent)."""
    from .models import GlossaryTerm

    existing = set(GlossaryTerm.objects.values_list("key", flat=True))
    GlossaryTerm.objects.bulk_create(
        [
            GlossaryTerm(key=key, terms_en=en, terms_fr=fr, terms_es=es)
            for key, (en, fr, es) in TERMS.items()
            if key not in existing
        ]
    )
