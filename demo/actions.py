"""Demo data: the four workstreams of the Rabat joint meeting and every action of the circular.

Owners are the demo organisations ("demo:<slug>") and the two commissions; missing
owners are skipped. Idempotent: workstreams and actions are found by their English title.
"""

from datetime import date

from actions import services
from actions.models import Action, Workstream
from commissions.models import Commission
from demo.meetings import find_rabat_meeting
from network.models import Organisation

PLANNING = "strategic-urban-planning"
DIGITAL = "digital-knowledge-cities"

# (titles, owner organisations, owner commissions, due date, [(text, progress, status)])
WORKSTREAMS = [
    (
        {"en": "Intermediary Cities", "fr": "Villes intermédiaires", "es": "Ciudades intermedias"},
        [
            (
                {
                    "en": "Support communication between actors",
                    "fr": "Soutenir la communication entre acteurs",
                    "es": "Apoyar la comunicación entre actores",
                },
                ["demo:bilbao"],
                [DIGITAL],
                date(2014, 3, 31),
                [("Mailing list of intermediary cities' focal points set up.", 50, "in_progress")],
            ),
            (
                {
                    "en": "Finalise the Framework Document",
                    "fr": "Finaliser le Document cadre",
                    "es": "Finalizar el Documento marco",
                },
                ["demo:durban"],
                [PLANNING],
                date(2014, 2, 28),
                [
                    ("Second draft circulated to members.", 70, "in_progress"),
                    ("Framework Document adopted.", 100, "done"),
                ],
            ),
            (
                {
                    "en": "Complement the Framework Document with case studies",
                    "fr": "Compléter le Document cadre par des études de cas",
                    "es": "Completar el Documento marco con estudios de caso",
                },
                ["demo:rabat"],
                [PLANNING],
                date(2014, 6, 30),
                [("Six cities volunteered a case study.", 30, "in_progress")],
            ),
            (
                {
                    "en": "Support peer learning between intermediary cities",
                    "fr": "Soutenir l'apprentissage entre pairs des villes intermédiaires",
                    "es": "Apoyar el aprendizaje entre pares de las ciudades intermedias",
                },
                ["demo:porto-alegre"],
                [PLANNING],
                date(2014, 9, 30),
                [],
            ),
            (
                {
                    "en": "Lobby European platforms and bodies",
                    "fr": "Effectuer des actions de lobby auprès des plateformes et instances européennes",
                    "es": "Hacer incidencia ante las plataformas e instancias europeas",
                },
                ["demo:bilbao"],
                [DIGITAL],
                date(2014, 5, 31),
                [("Blocked until the European platform sets its 2014 calendar.", None, "blocked")],
            ),
        ],
    ),
    (
        {
            "en": "UN Guidelines on Urban and Territorial Planning",
            "fr": "Lignes directrices des Nations Unies sur la planification urbaine et territoriale",
            "es": "Directrices de las Naciones Unidas sobre planificación urbana y territorial",
        },
        [
            (
                {
                    "en": "Support the UN processes with the recommendations of the Policy Paper on Strategic Planning",
                    "fr": "Appuyer les processus des Nations Unies avec les recommandations du Document d'orientation sur la planification stratégique",
                    "es": "Apoyar los procesos de las Naciones Unidas con las recomendaciones del Documento de orientación sobre planificación estratégica",
                },
                ["demo:world-secretariat", "demo:durban"],
                [PLANNING],
                date(2014, 4, 30),
                [("Recommendations sent to the expert group.", 60, "in_progress")],
            ),
            (
                {
                    "en": "Stress local leadership in every planning process",
                    "fr": "Mettre l'accent sur le leadership local dans tous les processus de planification",
                    "es": "Destacar el liderazgo local en todos los procesos de planificación",
                },
                ["demo:porto-alegre"],
                [PLANNING],
                date(2014, 10, 31),
                [],
            ),
        ],
    ),
    (
        {
            "en": "City-to-city learning",
            "fr": "Apprentissage entre villes",
            "es": "Aprendizaje entre ciudades",
        },
        [
            (
                {
                    "en": "Follow up and support partnerships",
                    "fr": "Suivre et soutenir les partenariats",
                    "es": "Seguir y apoyar las alianzas",
                },
                ["demo:world-secretariat"],
                [PLANNING, DIGITAL],
                date(2014, 6, 30),
                [("Monitoring template agreed with the partner cities.", 40, "in_progress")],
            ),
            (
                {
                    "en": "Follow up existing groups and the conclusions drawn from documents",
                    "fr": "Suivre les groupes existants et les conclusions tirées des documents",
                    "es": "Seguir los grupos existentes y las conclusiones extraídas de los documentos",
                },
                ["demo:bilbao"],
                [DIGITAL],
                date(2014, 6, 30),
                [],
            ),
            (
                {
                    "en": "Make the commissions' initiatives and the network's coherent, so that the agenda follows local governments' demands",
                    "fr": "Renforcer la cohérence entre les initiatives des commissions et celles du réseau, afin que l'agenda suive les demandes des gouvernements locaux",
                    "es": "Reforzar la coherencia entre las iniciativas de las comisiones y las de la red, para que la agenda responda a las demandas de los gobiernos locales",
                },
                ["demo:world-secretariat"],
                [PLANNING, DIGITAL],
                date(2014, 12, 31),
                [("Joint calendar of the commissions published.", 25, "in_progress")],
            ),
        ],
    ),
    (
        {"en": "Presidency", "fr": "Présidence", "es": "Presidencia"},
        [
            (
                {
                    "en": "Represent the network at lobbying events and international meetings",
                    "fr": "Représenter le réseau dans les événements de lobbying et les réunions internationales",
                    "es": "Representar a la red en los eventos de incidencia y las reuniones internacionales",
                },
                ["demo:durban", "demo:porto-alegre", "demo:bilbao"],
                [PLANNING, DIGITAL],
                date(2014, 12, 31),
                [
                    (
                        "Durban spoke for the network at the UN expert group meeting.",
                        30,
                        "in_progress",
                    )
                ],
            ),
        ],
    ),
]


def load_demo(stdout=None) -> None:
    commissions = {c.slug: c for c in Commission.objects.filter(slug__in=[PLANNING, DIGITAL])}
    if not commissions:
        if stdout:
            stdout.write("actions: demo commissions absent, nothing loaded")
        return
    meeting = find_rabat_meeting()
    decisions = list(meeting.decisions.order_by("number")) if meeting else []
    organisations = {
        o.external_ref: o for o in Organisation.objects.filter(external_ref__startswith="demo:")
    }
    created = 0
    for position, (titles, actions) in enumerate(WORKSTREAMS, start=1):
        workstream = Workstream.objects.filter(title_en=titles["en"]).first()
        if workstream is None:
            workstream = services.create_workstream(
                titles=titles,
                commissions=list(commissions.values()),
                opened_by=meeting,
                position=position,
                actor=None,
            )
        decision = decisions[position - 1] if len(decisions) >= position else None
        for action_titles, refs, slugs, due, updates in actions:
            if Action.objects.filter(workstream=workstream, title_en=action_titles["en"]).exists():
                continue
            action = services.create_action(
                titles=action_titles,
                workstream=workstream,
                decision=decision,
                owner_organisations=[organisations[r] for r in refs if r in organisations],
                owner_commissions=[commissions[s] for s in slugs if s in commissions],
                due_date=due,
                actor=None,
            )
            for text, progress, status in updates:
                services.post_update(
                    action, text=text, progress=progress, status=status, actor=None
                )
            created += 1
    presidency = Workstream.objects.filter(title_en="Presidency").first()
    load_representation_demo(list(commissions.values()), organisations, presidency)
    if stdout:
        stdout.write(f"actions: {created} actions created in {len(WORKSTREAMS)} workstreams")


EVENT_TITLES = {
    "en": "UN expert group meeting on the International Guidelines on Urban and Territorial Planning",
    "fr": "Réunion du groupe d'experts des Nations Unies sur les Lignes directrices internationales sur la planification urbaine et territoriale",
    "es": "Reunión del grupo de expertos de las Naciones Unidas sobre las Directrices internacionales sobre planificación urbana y territorial",
}
MANDATE = {
    "en": "Carry the recommendations of the Policy Paper on Strategic Planning; stress local leadership in every planning process.",
    "fr": "Porter les recommandations du Document d'orientation sur la planification stratégique ; insister sur le leadership local dans tous les processus de planification.",
    "es": "Llevar las recomendaciones del Documento de orientación sobre planificación estratégica; insistir en el liderazgo local en todo proceso de planificación.",
}


def load_representation_demo(commissions, organisations, workstream) -> None:
    """The presidencies (Durban, Porto Alegre, Bilbao) represent the network at a UN event."""
    from meetings import services as meeting_services
    from meetings.models import ExternalEvent

    if ExternalEvent.objects.filter(title_en=EVENT_TITLES["en"]).exists():
        return
    event = meeting_services.create_external_event(
        titles=EVENT_TITLES,
        organiser="UN-Habitat",
        place="Nairobi",
        starts_on=date(2014, 4, 7),
        ends_on=date(2014, 4, 9),
        commissions=commissions,
        workstream=workstream,
        actor=None,
    )
    for ref in ("demo:durban", "demo:porto-alegre", "demo:bilbao"):
        if ref in organisations:
            representation = meeting_services.add_representation(
                event, organisation=organisations[ref], mandates=MANDATE, actor=None
            )
            if ref == "demo:durban":
                meeting_services.report_back(
                    representation,
                    "The expert group took up the call for local leadership in planning.",
                    actor=None,
                )
