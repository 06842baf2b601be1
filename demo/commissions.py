"""Demo commissions: the two commissions of the founding circular, and a few groups.

Strategic Urban Planning is presided by Durban and Porto Alegre, whose cities also run
its technical secretariat; Digital and Knowledge-Based Cities is presided by Bilbao.
Found again by slug, so loading twice changes nothing.
"""

import datetime

from django.db import transaction
from django.utils import timezone, translation

from commissions.models import (
    Commission,
    CommissionKind,
    CommissionMembership,
    Presidency,
    Secretariat,
)
from demo.network import organisation, person_email
from network.models import Person

# slug: kind, (English, French, Spanish) names, (English, French, Spanish) mandates.
COMMISSIONS = {
    "strategic-urban-planning": (
        CommissionKind.COMMISSION,
        (
            "Commission on Strategic Urban Planning",
            "Commission Planification stratégique urbaine",
            "Comisión de Planificación Estratégica Urbana",
        ),
        (
            "Supports local governments in planning their territory strategically: it "
            "promotes city-to-city learning on urban and territorial planning, defends "
            "local leadership in every planning process, and brings the network's "
            "recommendations to the UN Guidelines on Urban and Territorial Planning.",
            "Accompagne les gouvernements locaux dans la planification stratégique de "
            "leur territoire : elle promeut l'apprentissage entre villes sur la "
            "planification urbaine et territoriale, défend le leadership local dans tout "
            "processus de planification et porte les recommandations du réseau dans les "
            "Lignes directrices des Nations unies sur la planification urbaine et "
            "territoriale.",
            "Acompaña a los gobiernos locales en la planificación estratégica de su "
            "territorio: promueve el aprendizaje entre ciudades sobre planificación urbana "
            "y territorial, defiende el liderazgo local en todo proceso de planificación y "
            "lleva las recomendaciones de la red a las Directrices de las Naciones Unidas "
            "sobre Planificación Urbana y Territorial.",
        ),
    ),
    "digital-knowledge-cities": (
        CommissionKind.COMMISSION,
        (
            "Commission on Digital and Knowledge-Based Cities",
            "Commission Villes numériques et de la connaissance",
            "Comisión de Ciudades Digitales y del Conocimiento",
        ),
        (
            "Helps local governments use digital technology and knowledge to serve their "
            "citizens: open government, digital inclusion, and the exchange of experiences "
            "between cities of every size.",
            "Aide les gouvernements locaux à mettre le numérique et la connaissance au "
            "service de leurs habitants : gouvernement ouvert, inclusion numérique et "
            "échange d'expériences entre villes de toutes tailles.",
            "Ayuda a los gobiernos locales a poner la tecnología digital y el conocimiento "
            "al servicio de la ciudadanía: gobierno abierto, inclusión digital e "
            "intercambio de experiencias entre ciudades de todos los tamaños.",
        ),
    ),
    "intermediary-cities": (
        CommissionKind.WORKING_GROUP,
        (
            "Working Group on Intermediary Cities",
            "Groupe de travail sur les villes intermédiaires",
            "Grupo de Trabajo sobre Ciudades Intermedias",
        ),
        (
            "Gives a voice to cities of 50,000 to 1,000,000 inhabitants, finalises the "
            "Framework Document on intermediary cities and complements it with case "
            "studies.",
            "Donne une voix aux villes de 50 000 à 1 000 000 d'habitants, finalise le "
            "document-cadre sur les villes intermédiaires et le complète par des études "
            "de cas.",
            "Da voz a las ciudades de 50.000 a 1.000.000 de habitantes, finaliza el "
            "documento marco sobre ciudades intermedias y lo completa con estudios de caso.",
        ),
    ),
    "urban-innovation": (
        CommissionKind.COMMUNITY,
        (
            "Community of Practice on Urban Innovation",
            "Communauté de pratique sur l'innovation urbaine",
            "Comunidad de Práctica sobre Innovación Urbana",
        ),
        (
            "Officers who try new ways of running cities share what worked and what did not.",
            "Des agents qui expérimentent de nouvelles façons de gérer les villes partagent "
            "ce qui a marché et ce qui n'a pas marché.",
            "Personal municipal que ensaya nuevas formas de gestionar las ciudades comparte "
            "lo que funcionó y lo que no.",
        ),
    ),
    "local-finance": (
        CommissionKind.COMMISSION,
        (
            "Commission on Local Finance for Development",
            "Commission Finances locales pour le développement",
            "Comisión de Finanzas Locales para el Desarrollo",
        ),
        (
            "Works for fiscal decentralisation and local governments' access to finance.",
            "Œuvre pour la décentralisation fiscale et l'accès des gouvernements locaux au "
            "financement.",
            "Trabaja por la descentralización fiscal y el acceso de los gobiernos locales "
            "a la financiación.",
        ),
    ),
}

MEMBERS = {
    "strategic-urban-planning": (
        "durban porto-alegre rabat chefchaouen tetouan saint-louis kisumu otjiwarongo mzuzu "
        "maputo sfax rosario cuenca medellin quetzaltenango lyon iloilo surabaya hue gyumri "
        "gaziantep irbid bizkaia tanger-tetouan-al-hoceima uclg-africa flacma salga "
        "vng-international un-habitat cities-alliance"
    ),
    "digital-knowledge-cities": (
        "bilbao porto-alegre rabat tetouan kisumu maputo medellin montevideo rosario lyon "
        "cascais surabaya kitakyushu kazan gaziantep montreal bizkaia femp fcm uclg-aspac "
        "uclg-mewa upv-ehu connective-cities"
    ),
    "intermediary-cities": (
        "chefchaouen tetouan saint-louis kisumu otjiwarongo mzuzu sfax cuenca quetzaltenango "
        "gyumri irbid hue iloilo uclg-africa flacma cities-alliance"
    ),
    "urban-innovation": "medellin bilbao montreal lyon cascais surabaya kazan connective-cities",
    "local-finance": "durban maputo rabat montevideo femp fcm salga vng-international",
}

# commission: [(organisation, role, e-mail of the person representing it or None)]
PRESIDENCIES = {
    "strategic-urban-planning": [
        ("durban", "president", "presidency.durban@example.org"),
        ("porto-alegre", "co_president", person_email("Mariana", "Tavares Lemos")),
        ("rosario", "vice_president", person_email("Martín", "Sbarra Quiroga")),
    ],
    "digital-knowledge-cities": [
        ("bilbao", "president", person_email("Iñaki", "Goikoetxea Arana")),
        ("medellin", "vice_president", person_email("Valentina", "Restrepo Arango")),
    ],
    "intermediary-cities": [("chefchaouen", "president", None)],
    "urban-innovation": [("montreal", "president", None)],
    "local-finance": [("maputo", "president", None)],
}

# commission: [(organisation, [contact e-mails])]
SECRETARIATS = {
    "strategic-urban-planning": [
        (
            "durban",
            ["secretariat.planning@example.org", person_email("Priya", "Naidoo-Govender")],
        ),
        ("porto-alegre", [person_email("Rafael", "Conceição Brandt")]),
    ],
    "digital-knowledge-cities": [
        ("bilbao", ["secretariat.digital@example.org", person_email("Miren", "Altuna Urquijo")])
    ],
    "intermediary-cities": [("world-secretariat", [person_email("Olivier", "Marchetti")])],
    "urban-innovation": [("world-secretariat", [person_email("Grace", "Oyelaran")])],
    "local-finance": [("world-secretariat", [person_email("Lucía", "Ferrer Anglada")])],
}


def current_term() -> tuple[datetime.date, datetime.date]:
    """A four-year term that includes today, so the demo always shows who presides."""
    year = timezone.localdate().year
    return datetime.date(year - 1, 1, 1), datetime.date(year + 2, 12, 31)


def load_demo(stdout=None) -> None:
    """Create or update the demo commissions, their members, presidencies and secretariats."""
    start, end = current_term()
    with translation.override("en"), transaction.atomic():
        for slug, (kind, names, mandates) in COMMISSIONS.items():
            commission = Commission.objects.filter(slug=slug).first() or Commission(slug=slug)
            commission.name = names[0]
            commission.name_en, commission.name_fr, commission.name_es = names
            commission.mandate = mandates[0]
            commission.mandate_en, commission.mandate_fr, commission.mandate_es = mandates
            commission.kind = kind
            commission.email = f"{slug}@example.org"
            commission.save()

            for member in MEMBERS[slug].split():
                CommissionMembership.objects.get_or_create(
                    commission=commission,
                    organisation=organisation(member),
                    defaults={"joined_on": datetime.date(2013, 10, 1)},
                )
            for org_slug, role, email in PRESIDENCIES[slug]:
                Presidency.objects.update_or_create(
                    commission=commission,
                    organisation=organisation(org_slug),
                    role=role,
                    defaults={
                        "person": Person.objects.get(email=email) if email else None,
                        "start_date": start,
                        "end_date": end,
                    },
                )
            for org_slug, emails in SECRETARIATS[slug]:
                secretariat, _created = Secretariat.objects.get_or_create(
                    commission=commission, organisation=organisation(org_slug)
                )
                secretariat.contacts.set(Person.objects.filter(email__in=emails))
    if stdout is not None:
        stdout.write(f"commissions: {len(COMMISSIONS)} commissions and groups")
