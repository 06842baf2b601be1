"""Demo records of the knowledge base: the seed's documents and experiences of the
demo cities, written for the demo (plausible, not claimed as real). Idempotent."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from demo.library_experiences import EXPERIENCES, MORE_EXPERIENCES
from library import services
from library.models import SDG, Document, DocumentFile, Experience, PlanningPrinciple, Theme

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
