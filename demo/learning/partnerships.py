"""Demo partnerships at every stage, between the demo network's cities.

Durban mentored Otjiwarongo and Mzuzu (completed, with reports, evaluations, a published
learning note and roadmap items turned into actions); Maputo learns from Rosario (active,
one report late); Rabat is asked to answer a proposal from Bilbao; Saint-Louis and Kisumu
have agreed; Chefchaouen and Cuenca closed early. Partnerships are found again by their
English title, so loading twice changes nothing. Dates follow today's date.
"""

import datetime

from django.db import transaction
from django.utils import timezone, translation

from accounts.models import User
from actions.models import Workstream
from commissions.models import Commission
from learning.models import (
    Activity,
    AssessmentCriterion,
    AssessmentScore,
    Evaluation,
    Indicator,
    IndicatorValue,
    LearningNote,
    MonitoringReport,
    NoteStatus,
    Partnership,
    PartnershipParty,
    PartnershipStatusChange,
    PartyResponse,
    RoadmapItem,
)
from learning.models.monitoring import quarter_of
from learning.partnerships import services
from learning.partnerships.services import closing, common
from library.models import Theme
from network.models import Organisation, Person

CRITERIA = [
    (
        "Ownership by the learning city",
        "Appropriation par la ville apprenante",
        "Apropiación por la ciudad aprendiz",
    ),
    ("Mutual learning", "Apprentissage mutuel", "Aprendizaje mutuo"),
    ("Results on the ground", "Résultats sur le terrain", "Resultados sobre el terreno"),
    (
        "Sustainability after the partnership",
        "Pérennité après le partenariat",
        "Sostenibilidad tras la alianza",
    ),
]
INDICATORS = [
    ("Officers trained", "Agents formés", "Funcionarios formados", "people"),
    (
        "Plans or policies adopted",
        "Plans ou politiques adoptés",
        "Planes o políticas adoptados",
        "",
    ),
]

DURBAN = "Durban mentors Otjiwarongo and Mzuzu on strategic planning"
MAPUTO = "Maputo and Rosario: upgrading informal settlements"
RABAT = "Rabat learns digital citizen services from Bilbao"
SAINT_LOUIS = "Saint-Louis and Kisumu: climate adaptation of waterfronts"
CHEFCHAOUEN = "Chefchaouen and Cuenca: heritage and tourism"


def _org(slug):
    return Organisation.objects.filter(external_ref=f"demo:{slug}").first()


def _user(email):
    return User.objects.filter(email=email).first()


def _criteria():
    criteria = []
    for position, (en, fr, es) in enumerate(CRITERIA, start=1):
        criterion, _created = AssessmentCriterion.objects.update_or_create(
            name_en=en, defaults={"name_fr": fr, "name_es": es, "position": position}
        )
        criteria.append(criterion)
    indicators = []
    for position, (en, fr, es, unit) in enumerate(INDICATORS, start=1):
        indicator, _created = Indicator.objects.update_or_create(
            name_en=en, defaults={"name_fr": fr, "name_es": es, "unit": unit, "position": position}
        )
        indicators.append(indicator)
    return criteria, indicators


def _partnership(
    title,
    *,
    learners,
    mentors,
    commission,
    objectives,
    status,
    starts_on,
    ends_on,
    history,
    themes=(),
    answered=None,
    every=3,
):
    """The partnership with its parties and history, created once."""
    existing = Partnership.objects.filter(title_en=title).first()
    if existing is not None:
        return existing, False
    partnership = Partnership.objects.create(
        title_en=title,
        objectives_en=objectives,
        original_language="en",
        facilitating_commission=commission,
        status=status,
        starts_on=starts_on,
        ends_on=ends_on,
        reporting_every_months=every,
    )
    answered = answered if answered is not None else learners + mentors
    for role, organisations in (("learner", learners), ("mentor", mentors)):
        for organisation in organisations:
            accepted = organisation in answered
            PartnershipParty.objects.create(
                partnership=partnership,
                organisation=organisation,
                role=role,
                response=PartyResponse.ACCEPTED if accepted else PartyResponse.PENDING,
                responded_at=timezone.now() if accepted else None,
            )
    previous = ""
    for to_status, by in history:
        PartnershipStatusChange.objects.create(
            partnership=partnership, from_status=previous, to_status=to_status, changed_by=by
        )
        previous = to_status
    partnership.themes.set(themes)
    return partnership, True


def _activity(partnership, kind, title, starts_on, days, place, people=(), outcome=""):
    activity = Activity.objects.create(
        partnership=partnership,
        kind=kind,
        title_en=title,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=days),
        place=place,
        outcome_en=outcome,
    )
    activity.participants.set(people)


def _report(partnership, organisation, period, texts, scores, values, criteria, indicators, author):
    start, end = period
    report = MonitoringReport.objects.create(
        partnership=partnership,
        organisation=organisation,
        author=author,
        period_start=start,
        period_end=end,
        progress=texts[0],
        difficulties=texts[1],
        next_steps=texts[2],
    )
    AssessmentScore.objects.bulk_create(
        [
            AssessmentScore(
                report=report,
                criterion=c,
                score=s,
                partnership_id=report.partnership_id,
                quarter=quarter_of(report.period_start),
            )
            for c, s in zip(criteria, scores, strict=False)
        ]
    )
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(report=report, indicator=i, value=v)
            for i, v in zip(indicators, values, strict=False)
        ]
    )
    return report


def load_demo(stdout=None) -> None:
    slugs = [
        "durban",
        "otjiwarongo",
        "mzuzu",
        "maputo",
        "rosario",
        "rabat",
        "bilbao",
        "saint-louis",
        "kisumu",
        "chefchaouen",
        "cuenca",
    ]
    orgs = {slug: _org(slug) for slug in slugs}
    planning = Commission.objects.filter(slug="strategic-urban-planning").first()
    digital = Commission.objects.filter(slug="digital-knowledge-cities").first()
    if any(org is None for org in orgs.values()) or planning is None:
        if stdout:
            stdout.write("learning: demo organisations absent, no partnership loaded")
        return
    secretariat = _user("secretariat.planning@example.org")
    today = timezone.localdate()
    themes = {t.key: t for t in Theme.objects.all()}
    created = 0
    with translation.override("en"), transaction.atomic():
        criteria, indicators = _criteria()
        people = {
            p.organisation_id: p for p in Person.objects.filter(organisation__in=orgs.values())
        }

        # Completed: Durban mentored two intermediary cities for a year.
        start = today - datetime.timedelta(days=420)
        end = today - datetime.timedelta(days=60)
        durban, new = _partnership(
            DURBAN,
            learners=[orgs["otjiwarongo"], orgs["mzuzu"]],
            mentors=[orgs["durban"]],
            commission=planning,
            objectives="Help two intermediary cities prepare their first long-term strategic plan, "
            "with a shared vision, a capital investment framework and a monitoring system.",
            status="completed",
            starts_on=start,
            ends_on=end,
            history=[
                ("proposed", secretariat),
                ("agreed", None),
                ("active", secretariat),
                ("completed", secretariat),
            ],
            themes=[
                themes[k] for k in ("strategic-planning", "intermediary-cities") if k in themes
            ],
            every=4,
        )
        if new:
            created += 1
            _activity(
                durban,
                "study_visit",
                "Study visit to Durban's planning unit",
                start + datetime.timedelta(days=30),
                4,
                "Durban",
                [
                    people.get(orgs[s].pk)
                    for s in ("otjiwarongo", "mzuzu", "durban")
                    if people.get(orgs[s].pk)
                ],
                "The visiting officers drafted the outline of their own plans.",
            )
            _activity(
                durban,
                "mentoring_session",
                "Mentoring on the capital investment framework",
                start + datetime.timedelta(days=120),
                0,
                "Online",
                outcome="Both cities listed their priority investments.",
            )
            _activity(
                durban,
                "joint_workshop",
                "Joint workshop on monitoring",
                start + datetime.timedelta(days=260),
                2,
                "Mzuzu",
                outcome="A shared set of ten indicators.",
            )
            periods = list(services.reporting_periods(durban, end))
            texts = [
                (
                    "The vision was agreed with the councils.",
                    "Few staff in planning units.",
                    "Draft the investment framework.",
                ),
                (
                    "Investment priorities listed in both cities.",
                    "Budget data is incomplete.",
                    "Prepare the monitoring workshop.",
                ),
                ("Monitoring indicators adopted.", "", "Write the learning note."),
            ]
            for index, period in enumerate(periods[:3]):
                _report(
                    durban,
                    orgs["otjiwarongo"] if index % 2 == 0 else orgs["mzuzu"],
                    period,
                    texts[index],
                    [3 + index // 2, 3 + index // 2, 2 + index, 3 + index // 2],
                    [4 + 3 * index, index // 2],
                    criteria,
                    indicators,
                    None,
                )
            for slug, rating in (("otjiwarongo", 5), ("mzuzu", 4), ("durban", 4)):
                Evaluation.objects.create(
                    partnership=durban,
                    organisation=orgs[slug],
                    rating=rating,
                    what_worked="Regular mentoring and a visit early in the partnership.",
                    what_to_improve="More time for the councils to own the plan.",
                )
            durban.outcomes_en = (
                "Two strategic plans adopted by their councils; "
                "a shared set of monitoring indicators."
            )
            durban.save()
            note = LearningNote.objects.create(
                partnership=durban,
                original_language="en",
                title_en="Planning an intermediary city's future with a metropolitan mentor",
                title_fr="Planifier l'avenir d'une ville intermédiaire avec une métropole pour mentor",
                context_en="Otjiwarongo and Mzuzu had no long-term plan; Durban had twenty years of "
                "strategic planning practice.",
                context_fr="Otjiwarongo et Mzuzu n'avaient pas de plan à long terme ; Durban avait vingt "
                "ans de pratique de la planification stratégique.",
                challenges_en="Small planning units, incomplete budget data, elections midway.",
                challenges_fr="Petites équipes de planification, données budgétaires incomplètes, "
                "élections à mi-parcours.",
                reflections_en="A mentor city learns as much by explaining its own methods.",
                reflections_fr="Une ville mentor apprend autant en expliquant ses propres méthodes.",
                lessons_en="Start with a visit; tie the plan to the budget; keep indicators few.",
                lessons_fr="Commencer par une visite ; lier le plan au budget ; garder peu d'indicateurs.",
                status=NoteStatus.PUBLISHED,
                published_at=timezone.now(),
            )
            for position, (en, fr) in enumerate(
                [
                    (
                        "Train the planning unit in capital investment planning",
                        "Former l'équipe de planification à la programmation des investissements",
                    ),
                    (
                        "Publish a yearly monitoring report of the plan",
                        "Publier chaque année un rapport de suivi du plan",
                    ),
                    (
                        "Share the method with other intermediary cities of the region",
                        "Partager la méthode avec d'autres villes intermédiaires de la région",
                    ),
                ]
            ):
                RoadmapItem.objects.create(note=note, text_en=en, text_fr=fr, position=position)
            # Demo records are the system's: no person is named as their author.
            closing._publish_to_library(note, actor=None)
            workstream = (
                Workstream.objects.filter(commissions=planning).order_by("position", "id").first()
            )
            if workstream is not None:
                for item in list(note.roadmap.all())[:2]:
                    services.turn_roadmap_item_into_action(
                        item,
                        workstream=workstream,
                        due_date=today + datetime.timedelta(days=180),
                        actor=None,
                    )

        # Active: Maputo learns from Rosario; the second report is late.
        start = today - datetime.timedelta(days=250)
        maputo, new = _partnership(
            MAPUTO,
            learners=[orgs["maputo"]],
            mentors=[orgs["rosario"]],
            commission=planning,
            objectives="Learn from Rosario's programme for upgrading informal settlements.",
            status="active",
            starts_on=start,
            ends_on=today + datetime.timedelta(days=200),
            history=[("proposed", secretariat), ("agreed", None), ("active", secretariat)],
            themes=[themes[k] for k in ("housing-basic-services",) if k in themes],
        )
        if new:
            created += 1
            _activity(
                maputo,
                "webinar",
                "Rosario's upgrading programme explained",
                start + datetime.timedelta(days=20),
                0,
                "Online",
                outcome="Maputo chose two neighbourhoods to start with.",
            )
            _activity(
                maputo,
                "study_visit",
                "Study visit to Rosario",
                today + datetime.timedelta(days=40),
                5,
                "Rosario",
            )
            period = next(services.reporting_periods(maputo, today))
            _report(
                maputo,
                orgs["maputo"],
                period,
                (
                    "Two neighbourhoods chosen; residents' committees formed.",
                    "Land titles are unclear.",
                    "Prepare the study visit.",
                ),
                [3, 4, 2, 3],
                [6, 0],
                criteria,
                indicators,
                None,
            )
            common._refresh_next_report_due(maputo)

        # Proposed: Bilbao accepted, Rabat's answer is awaited.
        _, new = _partnership(
            RABAT,
            learners=[orgs["rabat"]],
            mentors=[orgs["bilbao"]],
            commission=digital or planning,
            objectives="Put the city's most used procedures online, following Bilbao's citizen portal.",
            status="proposed",
            starts_on=None,
            ends_on=None,
            history=[("proposed", secretariat)],
            themes=[themes[k] for k in ("digital-cities",) if k in themes],
            answered=[orgs["bilbao"]],
        )
        created += new

        # Agreed: to start soon, a first activity planned.
        saint_louis, new = _partnership(
            SAINT_LOUIS,
            learners=[orgs["saint-louis"]],
            mentors=[orgs["kisumu"]],
            commission=planning,
            objectives="Exchange on protecting waterfront neighbourhoods from floods.",
            status="agreed",
            starts_on=today + datetime.timedelta(days=30),
            ends_on=today + datetime.timedelta(days=400),
            history=[("proposed", secretariat), ("agreed", None)],
            themes=[themes[k] for k in ("climate-action", "resilience") if k in themes],
        )
        if new:
            created += 1
            _activity(
                saint_louis,
                "joint_workshop",
                "Kick-off workshop",
                today + datetime.timedelta(days=35),
                1,
                "Saint-Louis",
            )

        # Closed early: the partnership stopped after a change of municipal team.
        _, new = _partnership(
            CHEFCHAOUEN,
            learners=[orgs["chefchaouen"]],
            mentors=[orgs["cuenca"]],
            commission=planning,
            objectives="Manage tourism in a historic centre without losing its residents.",
            status="closed_early",
            starts_on=today - datetime.timedelta(days=300),
            ends_on=today - datetime.timedelta(days=150),
            history=[
                ("proposed", secretariat),
                ("agreed", None),
                ("active", secretariat),
                ("closed_early", secretariat),
            ],
            themes=[themes[k] for k in ("culture",) if k in themes],
        )
        created += new
    if stdout:
        stdout.write(f"learning: {created} demo partnerships created")
