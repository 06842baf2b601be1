"""Demo data: the two learning groups that the commissions follow up ("existing groups" of
the Rabat circular), with their members, sessions and conclusions; one conclusion is an
action of the City-to-city learning workstream.

Idempotent: groups are found by slug, members by organisation, sessions by date, and
conclusions by number.
"""

from datetime import date

from actions.models import Workstream
from commissions.models import Commission
from demo.meetings import find_rabat_meeting
from learning.groups import services
from learning.models import GroupConclusion, GroupMembership, GroupSession, LearningGroup
from library.models import Theme
from network.models import Organisation

PLANNING = "strategic-urban-planning"
DIGITAL = "digital-knowledge-cities"

GROUPS = [
    {
        "slug": "intermediary-cities-planning",
        "commission": PLANNING,
        "themes": ["intermediary-cities", "strategic-planning"],
        "started_on": date(2013, 10, 1),
        "names": {
            "en": "Strategic planning in intermediary cities",
            "fr": "La planification stratégique dans les villes intermédiaires",
            "es": "La planificación estratégica en las ciudades intermedias",
        },
        "purposes": {
            "en": "Intermediary cities compare how they plan their growth with few means, "
            "and feed their cases into the Framework Document on intermediary cities.",
            "fr": "Des villes intermédiaires comparent leur manière de planifier leur croissance "
            "avec peu de moyens et nourrissent de leurs cas le Document cadre sur les villes "
            "intermédiaires.",
            "es": "Ciudades intermedias comparan cómo planifican su crecimiento con pocos medios "
            "y aportan sus casos al Documento marco sobre las ciudades intermedias.",
        },
        # (organisation, joined on, left on)
        "members": [
            ("rabat", date(2013, 10, 1), None),
            ("chefchaouen", date(2013, 10, 1), None),
            ("tetouan", date(2013, 10, 1), None),
            ("saint-louis", date(2013, 10, 1), None),
            ("kisumu", date(2014, 2, 12), None),
            ("cuenca", date(2014, 2, 12), None),
            ("gyumri", date(2013, 10, 1), date(2014, 6, 30)),
        ],
        # (date, place, {summary}, at the Rabat meeting)
        "sessions": [
            (
                date(2013, 10, 1),
                "Rabat",
                {
                    "en": "Launch of the group during the joint meeting of the two commissions.",
                    "fr": "Lancement du groupe pendant la réunion conjointe des deux commissions.",
                    "es": "Lanzamiento del grupo durante la reunión conjunta de las dos comisiones.",
                },
                True,
            ),
            (
                date(2014, 2, 12),
                "Online",
                {
                    "en": "Each city presented its planning tools; Kisumu and Cuenca joined.",
                    "fr": "Chaque ville a présenté ses outils de planification ; Kisumu et Cuenca "
                    "ont rejoint le groupe.",
                    "es": "Cada ciudad presentó sus herramientas de planificación; Kisumu y Cuenca "
                    "se unieron al grupo.",
                },
                False,
            ),
            (
                date(2014, 5, 20),
                "Chefchaouen",
                {
                    "en": "Study visit of the medina's heritage plan and its participatory steps.",
                    "fr": "Visite d'étude du plan de sauvegarde de la médina et de ses étapes "
                    "participatives.",
                    "es": "Visita de estudio del plan de salvaguarda de la medina y de sus etapas "
                    "participativas.",
                },
                False,
            ),
        ],
        # (session index, {text}, action in workstream (English title) or None)
        "conclusions": [
            (
                0,
                {
                    "en": "Intermediary cities need planning tools sized to their means, not "
                    "simplified metropolitan plans.",
                    "fr": "Les villes intermédiaires ont besoin d'outils de planification à la "
                    "mesure de leurs moyens, pas de plans métropolitains simplifiés.",
                    "es": "Las ciudades intermedias necesitan herramientas de planificación a la "
                    "medida de sus medios, no planes metropolitanos simplificados.",
                },
                None,
            ),
            (
                1,
                {
                    "en": "Document six planning cases of member cities for the Framework "
                    "Document.",
                    "fr": "Documenter six cas de planification de villes membres pour le Document "
                    "cadre.",
                    "es": "Documentar seis casos de planificación de ciudades miembros para el "
                    "Documento marco.",
                },
                "City-to-city learning",
            ),
            (
                2,
                {
                    "en": "Pair each newcomer city with a member city that has already adopted "
                    "a strategic plan.",
                    "fr": "Associer chaque ville nouvelle venue à une ville membre qui a déjà "
                    "adopté un plan stratégique.",
                    "es": "Asociar a cada ciudad recién llegada con una ciudad miembro que ya "
                    "haya adoptado un plan estratégico.",
                },
                None,
            ),
        ],
    },
    {
        "slug": "digital-cities-circle",
        "commission": DIGITAL,
        "themes": ["digital-cities"],
        "started_on": date(2013, 11, 15),
        "names": {
            "en": "Digital cities learning circle",
            "fr": "Cercle d'apprentissage des villes numériques",
            "es": "Círculo de aprendizaje de las ciudades digitales",
        },
        "purposes": {
            "en": "Cities share how they open their data and services online, and what "
            "citizens gained from it.",
            "fr": "Des villes partagent la manière dont elles ouvrent leurs données et leurs "
            "services en ligne, et ce que les habitants y ont gagné.",
            "es": "Ciudades comparten cómo abren sus datos y servicios en línea, y lo que la "
            "ciudadanía ganó con ello.",
        },
        "members": [
            ("bilbao", date(2013, 11, 15), None),
            ("lyon", date(2013, 11, 15), None),
            ("cascais", date(2013, 11, 15), None),
            ("medellin", date(2014, 1, 20), None),
            ("surabaya", date(2014, 1, 20), None),
            ("montreal", date(2014, 3, 3), None),
        ],
        "sessions": [
            (
                date(2013, 11, 15),
                "Bilbao",
                {
                    "en": "First exchange on open data portals and their costs.",
                    "fr": "Premier échange sur les portails de données ouvertes et leur coût.",
                    "es": "Primer intercambio sobre los portales de datos abiertos y su coste.",
                },
                False,
            ),
            (
                date(2014, 3, 3),
                "Online",
                {
                    "en": "Medellín and Surabaya presented their e-government services.",
                    "fr": "Medellín et Surabaya ont présenté leurs services d'administration "
                    "en ligne.",
                    "es": "Medellín y Surabaya presentaron sus servicios de gobierno electrónico.",
                },
                False,
            ),
        ],
        "conclusions": [
            (
                0,
                {
                    "en": "Publish a shared list of the datasets every member city opens first.",
                    "fr": "Publier une liste commune des jeux de données que chaque ville membre "
                    "ouvre en premier.",
                    "es": "Publicar una lista común de los conjuntos de datos que cada ciudad "
                    "miembro abre primero.",
                },
                None,
            ),
            (
                1,
                {
                    "en": "Digital services must stay reachable by phone and at the counter for "
                    "those who are not online.",
                    "fr": "Les services numériques doivent rester accessibles par téléphone et au "
                    "guichet pour les personnes qui ne sont pas en ligne.",
                    "es": "Los servicios digitales deben seguir accesibles por teléfono y en "
                    "ventanilla para quienes no están en línea.",
                },
                None,
            ),
        ],
    },
]


def _load_group(spec, commissions, organisations, rabat_meeting) -> LearningGroup:
    group = LearningGroup.objects.filter(slug=spec["slug"]).first()
    if group is None:
        group = services.create_group(
            slug=spec["slug"],
            names=spec["names"],
            purposes=spec["purposes"],
            facilitating_commission=commissions[spec["commission"]],
            themes=Theme.objects.filter(key__in=spec["themes"]),
            started_on=spec["started_on"],
            actor=None,
        )
    present = set(
        GroupMembership.objects.filter(group=group).values_list("organisation_id", flat=True)
    )
    for slug, joined_on, left_on in spec["members"]:
        organisation = organisations.get(f"demo:{slug}")
        if organisation is None or organisation.pk in present:
            continue
        membership = services.add_member(group, organisation, joined_on=joined_on, actor=None)
        if left_on:
            services.member_leaves(membership, left_on=left_on, actor=None)
    sessions = []
    for held_on, place, summaries, at_rabat in spec["sessions"]:
        session = GroupSession.objects.filter(group=group, held_on=held_on).first()
        if session is None:
            session = services.add_session(
                group,
                held_on=held_on,
                place=place,
                summaries=summaries,
                meeting=rabat_meeting if at_rabat else None,
                actor=None,
            )
        sessions.append(session)
    for number, (session_index, texts, workstream_title) in enumerate(spec["conclusions"], 1):
        conclusion = GroupConclusion.objects.filter(group=group, number=number).first()
        if conclusion is None:
            conclusion = services.add_conclusion(
                group, texts=texts, session=sessions[session_index], actor=None
            )
        if workstream_title and conclusion.action_id is None:
            workstream = Workstream.objects.filter(title_en=workstream_title).first()
            if workstream is not None:
                services.conclusion_to_action(
                    conclusion,
                    workstream=workstream,
                    due_date=date(2014, 9, 30),
                    owner_organisations=[o for o in [organisations.get("demo:rabat")] if o],
                    actor=None,
                )
    return group


def load_demo(stdout=None) -> None:
    commissions = {c.slug: c for c in Commission.objects.filter(slug__in=[PLANNING, DIGITAL])}
    if len(commissions) < 2:
        if stdout:
            stdout.write("learning groups: demo commissions absent, nothing loaded")
        return
    organisations = {
        o.external_ref: o for o in Organisation.objects.filter(external_ref__startswith="demo:")
    }
    rabat_meeting = find_rabat_meeting()
    for spec in GROUPS:
        _load_group(spec, commissions, organisations, rabat_meeting)
    if stdout:
        stdout.write(f"learning groups: {len(GROUPS)} groups with their sessions and conclusions")
