"""The reference taxonomies of the knowledge base, in English, French and Spanish.

Loaded after every `migrate` (see apps.py): rows are created when missing and their
labels are left alone once they exist, so that the back office may refine them.
"""

from django.db import transaction

# (key, English, French, Spanish)
THEMES = [
    (
        "strategic-planning",
        "Urban strategic planning",
        "Planification urbaine stratégique",
        "Planificación urbana estratégica",
    ),
    ("intermediary-cities", "Intermediary cities", "Villes intermédiaires", "Ciudades intermedias"),
    ("digital-cities", "Digital cities", "Villes numériques", "Ciudades digitales"),
    ("mobility", "Mobility", "Mobilité", "Movilidad"),
    (
        "housing-basic-services",
        "Housing and basic services",
        "Logement et services de base",
        "Vivienda y servicios básicos",
    ),
    ("public-space", "Public space", "Espace public", "Espacio público"),
    ("local-finance", "Local finance", "Finances locales", "Finanzas locales"),
    (
        "local-economic-development",
        "Local economic development",
        "Développement économique local",
        "Desarrollo económico local",
    ),
    ("climate-action", "Climate action", "Action climatique", "Acción climática"),
    ("resilience", "Resilience", "Résilience", "Resiliencia"),
    ("culture", "Culture", "Culture", "Cultura"),
    ("gender-equality", "Gender equality", "Égalité de genre", "Igualdad de género"),
    ("migration", "Migration", "Migrations", "Migración"),
    (
        "inclusion-participation",
        "Inclusion and participation",
        "Inclusion et participation",
        "Inclusión y participación",
    ),
    ("health", "Health", "Santé", "Salud"),
    ("water-sanitation", "Water and sanitation", "Eau et assainissement", "Agua y saneamiento"),
    ("waste-management", "Waste management", "Gestion des déchets", "Gestión de residuos"),
    ("land-management", "Land management", "Gestion foncière", "Gestión del suelo"),
    ("heritage", "Heritage", "Patrimoine", "Patrimonio"),
    (
        "decentralisation",
        "Decentralisation and governance",
        "Décentralisation et gouvernance",
        "Descentralización y gobernanza",
    ),
]

# The 17 Sustainable Development Goals, short titles.
SDGS = [
    (1, "No poverty", "Pas de pauvreté", "Fin de la pobreza"),
    (2, "Zero hunger", "Faim « zéro »", "Hambre cero"),
    (3, "Good health and well-being", "Bonne santé et bien-être", "Salud y bienestar"),
    (4, "Quality education", "Éducation de qualité", "Educación de calidad"),
    (5, "Gender equality", "Égalité entre les sexes", "Igualdad de género"),
    (6, "Clean water and sanitation", "Eau propre et assainissement", "Agua limpia y saneamiento"),
    (
        7,
        "Affordable and clean energy",
        "Énergie propre et d'un coût abordable",
        "Energía asequible y no contaminante",
    ),
    (
        8,
        "Decent work and economic growth",
        "Travail décent et croissance économique",
        "Trabajo decente y crecimiento económico",
    ),
    (
        9,
        "Industry, innovation and infrastructure",
        "Industrie, innovation et infrastructure",
        "Industria, innovación e infraestructura",
    ),
    (10, "Reduced inequalities", "Inégalités réduites", "Reducción de las desigualdades"),
    (
        11,
        "Sustainable cities and communities",
        "Villes et communautés durables",
        "Ciudades y comunidades sostenibles",
    ),
    (
        12,
        "Responsible consumption and production",
        "Consommation et production responsables",
        "Producción y consumo responsables",
    ),
    (
        13,
        "Climate action",
        "Mesures relatives à la lutte contre les changements climatiques",
        "Acción por el clima",
    ),
    (14, "Life below water", "Vie aquatique", "Vida submarina"),
    (15, "Life on land", "Vie terrestre", "Vida de ecosistemas terrestres"),
    (
        16,
        "Peace, justice and strong institutions",
        "Paix, justice et institutions efficaces",
        "Paz, justicia e instituciones sólidas",
    ),
    (
        17,
        "Partnerships for the goals",
        "Partenariats pour la réalisation des objectifs",
        "Alianzas para lograr los objetivos",
    ),
]

# The 12 principles of the UN International Guidelines on Urban and Territorial
# Planning (2015), as short titles: urban policy and governance (1-2), social
# development (3-4), economic growth (5-7), environment (8-9), planning components
# (10-12).
PRINCIPLES = [
    (
        1,
        "Planning as an integrative, participatory decision-making process linked to urban policies",
        "La planification, processus décisionnel intégré et participatif lié aux politiques urbaines",
        "La planificación como proceso de decisión integrador y participativo vinculado a las políticas urbanas",
    ),
    (
        2,
        "Planning as a core component of urban governance: local democracy, transparency, accountability",
        "La planification au cœur de la gouvernance urbaine : démocratie locale, transparence, redevabilité",
        "La planificación como componente central de la gobernanza urbana: democracia local, transparencia, rendición de cuentas",
    ),
    (
        3,
        "Adequate living conditions for all and a fair share of the benefits of urban development",
        "Des conditions de vie adéquates pour tous et un partage équitable des bénéfices du développement urbain",
        "Condiciones de vida adecuadas para todos y reparto equitativo de los beneficios del desarrollo urbano",
    ),
    (
        4,
        "Planning as an investment in the future that respects cultural heritage and diversity",
        "La planification, un investissement dans l'avenir respectueux du patrimoine et de la diversité culturelle",
        "La planificación como inversión en el futuro que respeta el patrimonio y la diversidad cultural",
    ),
    (
        5,
        "Planning as a catalyst for sustained and inclusive economic growth",
        "La planification, catalyseur d'une croissance économique soutenue et inclusive",
        "La planificación como catalizador de un crecimiento económico sostenido e inclusivo",
    ),
    (
        6,
        "An enabling framework for economic opportunities, land and housing markets and basic services",
        "Un cadre favorable aux activités économiques, aux marchés fonciers et immobiliers et aux services de base",
        "Un marco propicio para las oportunidades económicas, los mercados de suelo y vivienda y los servicios básicos",
    ),
    (
        7,
        "Efficient urban structures: density, mixed uses and connectivity",
        "Des structures urbaines efficaces : densité, mixité des usages et connectivité",
        "Estructuras urbanas eficientes: densidad, usos mixtos y conectividad",
    ),
    (
        8,
        "A spatial framework to protect the natural and built environment",
        "Un cadre spatial pour protéger l'environnement naturel et bâti",
        "Un marco espacial para proteger el medio natural y construido",
    ),
    (
        9,
        "Resilience: climate change mitigation and adaptation, management of hazards and risks",
        "Résilience : atténuation et adaptation au changement climatique, gestion des risques",
        "Resiliencia: mitigación y adaptación al cambio climático, gestión de riesgos",
    ),
    (
        10,
        "Planning combines spatial, institutional and financial dimensions over time and scales",
        "La planification combine dimensions spatiales, institutionnelles et financières à toutes les échelles",
        "La planificación combina dimensiones espaciales, institucionales y financieras a todas las escalas",
    ),
    (
        11,
        "A continuous, iterative process grounded in enforceable regulations and evidence",
        "Un processus continu et itératif, fondé sur des règles applicables et des données probantes",
        "Un proceso continuo e iterativo basado en normas aplicables y en evidencias",
    ),
    (
        12,
        "Planning capacities, monitoring and the sharing of knowledge between cities",
        "Capacités de planification, suivi et partage des connaissances entre villes",
        "Capacidades de planificación, seguimiento e intercambio de conocimientos entre ciudades",
    ),
]


@transaction.atomic
def load_reference_data() -> None:
    """Create the themes, SDGs and planning principles that are missing (idempotent)."""
    from .models import SDG, PlanningPrinciple, Theme

    for position, (key, en, fr, es) in enumerate(THEMES):
        Theme.objects.get_or_create(
            key=key,
            defaults={
                "label": en,
                "label_en": en,
                "label_fr": fr,
                "label_es": es,
                "position": position,
            },
        )
    for number, en, fr, es in SDGS:
        SDG.objects.get_or_create(
            number=number, defaults={"title": en, "title_en": en, "title_fr": fr, "title_es": es}
        )
    for number, en, fr, es in PRINCIPLES:
        PlanningPrinciple.objects.get_or_create(
            number=number, defaults={"title": en, "title_en": en, "title_fr": fr, "title_es": es}
        )
