"""Demo learning needs of the demo cities, in French, Spanish and English, and the agenda
priorities the two demo commissions adopted at the Rabat meeting.

Needs are found again by their city and original title, priorities by their commission
and English title, so loading twice changes nothing. Relies only on the shared demo
conventions (organisations "demo:<slug>", the commissions' slugs, the Rabat meeting).
"""

from __future__ import annotations

import datetime

from accounts.models import User
from commissions.models import Commission
from learning.models import AgendaPriority, LearningNeed, NeedStatus
from learning.needs import services
from library.models import Theme
from network.models import Organisation

UTC = datetime.UTC


def _at(year, month, day) -> datetime.datetime:
    return datetime.datetime(year, month, day, 9, 0, tzinfo=UTC)


# key: (city slug, language, stated on, themes, modes, working languages, urgency,
#       visibility, {language: (title, problem, context)}, [(status, on, note)]).
# fmt: off
NEEDS = {
    "rabat-strategic-plan": (
        "rabat", "fr", _at(2013, 6, 3), ["strategic-planning", "intermediary-cities"],
        ["study_visit", "mentoring"], ["fr"], "medium", "published",
        {
            "fr": (
                "Piloter la croissance de la ville avec un plan stratégique partagé",
                "Notre schéma directeur est dépassé avant d'être approuvé : la ville grandit plus vite que les procédures. Nous voulons apprendre à conduire une planification stratégique qui associe les arrondissements, l'État et les habitants, et qui fixe peu de priorités mais les tient.",
                "Capitale de 580 000 habitants, agglomération de deux millions ; une agence urbaine et des services techniques municipaux de petite taille.",
            ),
            "en": (
                "Steering the city's growth with a shared strategic plan",
                "Our master plan is outdated before it is approved: the city grows faster than the procedures. We want to learn how to run strategic planning that involves the districts, the State and residents, and sets few priorities but keeps them.",
                "",
            ),
        },
        [("matched", _at(2013, 9, 20), "Bilbao and Porto Alegre have offered a study visit.")],
    ),
    "chefchaouen-medina": (
        "chefchaouen", "fr", _at(2013, 7, 1), ["heritage", "intermediary-cities"],
        ["study_visit", "documents"], ["fr", "es"], "low", "published",
        {
            "fr": (
                "Protéger la médina tout en accueillant davantage de visiteurs",
                "Le tourisme fait vivre la ville mais il fait monter les loyers de la médina et les habitants partent. Comment d'autres petites villes patrimoniales ont-elles gardé leurs habitants tout en accueillant des visiteurs ?",
                "",
            ),
        },
        [],
    ),
    "saint-louis-coast": (
        "saint-louis", "fr", _at(2013, 5, 14), ["resilience", "climate-action"],
        ["mentoring", "webinar"], ["fr"], "high", "published",
        {
            "fr": (
                "Adapter la ville à la montée des eaux et à l'érosion côtière",
                "La Langue de Barbarie recule chaque année et des quartiers entiers de pêcheurs sont menacés. Nous devons planifier des relogements et protéger ce qui peut l'être, avec des moyens limités.",
                "Ville inscrite au patrimoine mondial, 250 000 habitants, fortes inondations en saison des pluies.",
            ),
        },
        [("matched", _at(2013, 9, 10), ""), ("in_partnership", _at(2014, 3, 1), "Partenariat avec Cascais.")],
    ),
    "sfax-gis": (
        "sfax", "fr", _at(2013, 8, 22), ["digital-cities", "land-management"],
        ["mentoring", "documents"], ["fr"], "medium", "published",
        {
            "fr": (
                "Mettre en place un système d'information géographique municipal",
                "Les données foncières et les permis sont sur papier ou dans des fichiers dispersés entre services. Nous voulons un SIG commun, tenu à jour, qui serve à la fois l'urbanisme et la fiscalité locale.",
                "",
            ),
        },
        [],
    ),
    "tetouan-waste": (
        "tetouan", "fr", _at(2015, 2, 9), ["waste-management"],
        ["study_visit"], ["fr", "es"], "high", "published",
        {
            "fr": (
                "Collecter les déchets dans les ruelles de la médina",
                "Les camions n'entrent pas dans la médina et la collecte à dos d'âne ne suffit plus. Nous cherchons des villes qui ont organisé une collecte de proximité avec les habitants.",
                "",
            ),
        },
        [],
    ),
    "quetzaltenango-periurban": (
        "quetzaltenango", "es", _at(2013, 4, 17),
        ["strategic-planning", "intermediary-cities", "land-management"],
        ["mentoring", "study_visit"], ["es"], "medium", "published",
        {
            "es": (
                "Ordenar el crecimiento periurbano de una ciudad intermedia",
                "La ciudad crece sobre tierras agrícolas y laderas sin servicios. El plan de ordenamiento no se aplica porque nadie lo conoce. Queremos aprender a planificar con los barrios y las aldeas vecinas.",
                "Ciudad intermedia de 180 000 habitantes en el altiplano; equipo técnico municipal de cinco personas.",
            ),
            "en": (
                "Guiding the peri-urban growth of an intermediary city",
                "The city grows over farmland and slopes without services. The land-use plan is not applied because nobody knows it. We want to learn to plan with the neighbourhoods and nearby villages.",
                "",
            ),
            "fr": (
                "Maîtriser la croissance périurbaine d'une ville intermédiaire",
                "La ville s'étend sur des terres agricoles et des pentes sans services. Le plan d'aménagement n'est pas appliqué car personne ne le connaît. Nous voulons apprendre à planifier avec les quartiers et les villages voisins.",
                "",
            ),
        },
        [("matched", _at(2013, 10, 15), "Rosario ofrece acompañamiento.")],
    ),
    "cuenca-open-data": (
        "cuenca", "es", _at(2014, 6, 5), ["digital-cities", "inclusion-participation"],
        ["webinar", "documents"], ["es"], "medium", "published",
        {
            "es": (
                "Datos abiertos para el presupuesto participativo",
                "Los vecinos votan proyectos sin saber cuánto cuestan ni qué pasó con los del año anterior. Queremos publicar los datos del presupuesto de forma comprensible y abierta.",
                "",
            ),
        },
        [],
    ),
    "rosario-mobility": (
        "rosario", "es", _at(2013, 3, 11), ["mobility", "public-space"],
        ["study_visit"], ["es"], "low", "published",
        {
            "es": (
                "Movilidad activa en los barrios periféricos",
                "Las ciclovías llegan al centro pero no a los barrios donde vive quien más las necesita. Buscamos experiencias de redes de movilidad activa en la periferia.",
                "",
            ),
        },
        [("matched", _at(2013, 6, 1), ""), ("met", _at(2014, 11, 20), "Visita a Bogotá y Medellín.")],
    ),
    "kisumu-lakefront": (
        "kisumu", "en", _at(2013, 6, 24), ["strategic-planning", "water-sanitation"],
        ["mentoring", "webinar"], ["en"], "medium", "published",
        {
            "en": (
                "A lakefront plan an intermediary city can carry out",
                "Plans for the Lake Victoria waterfront have been drawn up by consultants three times and never implemented. We need to learn how cities of our size turn a strategic plan into projects they can finance and deliver.",
                "Third city of Kenya, about 600,000 people; the county government shares planning powers.",
            ),
        },
        [],
    ),
    "mzuzu-revenue": (
        "mzuzu", "en", _at(2016, 1, 18), ["local-finance", "land-management"],
        ["mentoring", "documents"], ["en"], "high", "published",
        {
            "en": (
                "Collecting property rates with a small team",
                "Most properties are not on the valuation roll, so the city lives on transfers. We want to learn how other cities built a valuation roll and billing with few staff and simple tools.",
                "",
            ),
        },
        [],
    ),
    "otjiwarongo-eservices": (
        "otjiwarongo", "en", _at(2017, 9, 4), ["digital-cities"],
        ["webinar"], ["en"], "low", "private",
        {
            "en": (
                "Simple online services for a small town's residents",
                "Residents travel to the town office to pay bills and apply for permits. We would like to offer a few services by phone and online without a large IT department.",
                "",
            ),
        },
        [],
    ),
    "gyumri-housing": (
        "gyumri", "en", _at(2014, 4, 2), ["housing-basic-services", "heritage"],
        ["study_visit", "documents"], ["en"], "medium", "published",
        {
            "en": (
                "Rehousing families still living in temporary shelters",
                "Decades after the earthquake, families still live in temporary containers. We seek cities that rehoused residents while keeping the historic centre alive.",
                "",
            ),
        },
        [("withdrawn", _at(2015, 5, 5), "A national programme now covers it.")],
    ),
}

# Commission slug: [(titles, descriptions, themes, need keys, position)].
PRIORITIES = {
    "strategic-urban-planning": [
        (
            {
                "en": "Strategic planning that intermediary cities can carry out",
                "fr": "Une planification stratégique à la portée des villes intermédiaires",
                "es": "Una planificación estratégica al alcance de las ciudades intermedias",
            },
            {
                "en": "Peer learning on plans that are owned locally, set few priorities and lead to financed projects.",
                "fr": "Apprentissage entre pairs sur des plans portés localement, qui fixent peu de priorités et débouchent sur des projets financés.",
                "es": "Aprendizaje entre pares sobre planes asumidos localmente, con pocas prioridades y que llevan a proyectos financiados.",
            },
            ["strategic-planning", "intermediary-cities"],
            ["rabat-strategic-plan", "quetzaltenango-periurban", "kisumu-lakefront"],
            1,
        ),
        (
            {
                "en": "Coastal and climate risks in urban planning",
                "fr": "Les risques côtiers et climatiques dans la planification urbaine",
                "es": "Los riesgos costeros y climáticos en la planificación urbana",
            },
            {},
            ["resilience", "climate-action"],
            ["saint-louis-coast"],
            2,
        ),
    ],
    "digital-knowledge-cities": [
        (
            {
                "en": "Municipal data that serves planning and citizens",
                "fr": "Des données municipales au service de l'urbanisme et des citoyens",
                "es": "Datos municipales al servicio de la planificación y de la ciudadanía",
            },
            {
                "en": "Shared geographic information, open budget data and simple online services.",
                "fr": "Information géographique partagée, données budgétaires ouvertes et services en ligne simples.",
                "es": "Información geográfica compartida, datos presupuestarios abiertos y servicios en línea sencillos.",
            },
            ["digital-cities"],
            ["sfax-gis", "cuenca-open-data", "otjiwarongo-eservices"],
            1,
        ),
    ],
}
# fmt: on


def _load_needs() -> tuple[dict[str, LearningNeed], int]:
    cities = {
        org.external_ref.removeprefix("demo:"): org
        for org in Organisation.objects.filter(external_ref__startswith="demo:")
    }
    themes = {theme.key: theme for theme in Theme.objects.all()}
    officer = User.objects.filter(email="officer.rabat@example.org").first()
    needs, added = {}, 0
    for key, (slug, language, stated, theme_keys, modes, languages, urgency, visibility,
              texts, changes) in NEEDS.items():  # fmt: skip
        city = cities.get(slug)
        if city is None:
            continue
        title = texts[language][0]
        need = LearningNeed.objects.filter(city=city, **{f"title_{language}": title}).first()
        if need is None:
            title, problem, context = texts[language]
            need = services.create_need(
                city=city,
                original_language=language,
                texts={"title": title, "problem": problem, "context": context},
                themes=[themes[k] for k in theme_keys if k in themes],
                learning_modes=modes,
                working_languages=languages,
                urgency=urgency,
                visibility=visibility,
                actor=None,
            )
            # The demo's audit log names nobody; Rabat's need is its officer's all the same.
            if slug == "rabat" and officer is not None:
                LearningNeed.objects.filter(pk=need.pk).update(created_by=officer)
            # The demo tells a story that began before the Rabat meeting.
            LearningNeed.objects.filter(pk=need.pk).update(
                created_at=stated, created_by=officer if slug == "rabat" else None
            )
            need.status_changes.filter(old_status="").update(changed_at=stated)
            for other, (title, problem, context) in texts.items():
                if other != language:
                    services.translate_need(
                        need,
                        language=other,
                        texts={"title": title, "problem": problem, "context": context},
                        actor=None,
                    )
            for status, on, note in changes:
                services.change_need_status(need, status=status, note=note, at=on, actor=None)
            added += 1
        needs[key] = need
    return needs, added


def _load_priorities(needs: dict[str, LearningNeed]) -> int:
    from demo.meetings import find_rabat_meeting

    meeting = find_rabat_meeting()
    themes = {theme.key: theme for theme in Theme.objects.all()}
    added = 0
    for slug, priorities in PRIORITIES.items():
        commission = Commission.objects.filter(slug=slug).first()
        if commission is None:
            continue
        for titles, descriptions, theme_keys, need_keys, position in priorities:
            if AgendaPriority.objects.filter(commission=commission, title_en=titles["en"]).exists():
                continue
            priority = services.create_agenda_priority(
                commission=commission,
                original_language="en",
                texts={"title": titles["en"], "description": descriptions.get("en", "")},
                needs=[needs[key] for key in need_keys if key in needs],
                themes=[themes[k] for k in theme_keys if k in themes],
                meeting=meeting
                if meeting is not None and meeting.commissions.filter(pk=commission.pk).exists()
                else None,
                adopted_on=datetime.date(2013, 10, 1),
                position=position,
                actor=None,
            )
            for language in ("fr", "es"):
                services.update_agenda_priority(
                    priority,
                    language=language,
                    texts={
                        "title": titles[language],
                        "description": descriptions.get(language, ""),
                    },
                    actor=None,
                )
            added += 1
    return added


def load_demo(stdout=None) -> None:
    needs, added = _load_needs()
    priorities = _load_priorities(needs)
    if stdout is not None:
        stdout.write(
            f"learning: {added} learning needs added ({len(needs)} in the demo), "
            f"{priorities} agenda priorities added; open needs: "
            f"{LearningNeed.objects.filter(status=NeedStatus.OPEN).count()}\n"
        )
