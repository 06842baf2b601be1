"""Demo data: the joint meeting of Rabat, 1 October 2013, as the founding circular tells it.

Relies only on the shared demo conventions (organisations "demo:<slug>", the two
commissions' slugs, people of demo organisations); does nothing when they are absent.
Idempotent: the meeting is found again by its English title and start.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from commissions.models import Commission
from meetings import services
from meetings.models import Meeting, MeetingStatus, Minutes
from network.models import Organisation, Person

RABAT = ZoneInfo("Africa/Casablanca")
STARTS = datetime(2013, 10, 1, 9, 0, tzinfo=RABAT)
ENDS = datetime(2013, 10, 1, 18, 0, tzinfo=RABAT)
TITLES = {
    "en": "Joint meeting of the commissions on Strategic Urban Planning and on Digital and Knowledge-Based Cities",
    "fr": "Réunion conjointe des commissions Planification stratégique urbaine et Villes numériques et de la connaissance",
    "es": "Reunión conjunta de las comisiones de Planificación Estratégica Urbana y de Ciudades Digitales y del Conocimiento",
}
PURPOSES = {
    "en": "Strengthen the two commissions' city-to-city learning programme and define what the commissions and the network must do to advance the learning agenda.",
    "fr": "Renforcer le programme d'apprentissage entre villes des deux commissions et définir le rôle et les actions que les commissions et le réseau doivent entreprendre pour faire avancer l'agenda de l'apprentissage.",
    "es": "Reforzar el programa de aprendizaje entre ciudades de las dos comisiones y definir lo que las comisiones y la red deben hacer para avanzar en la agenda del aprendizaje.",
}
AGENDA = [
    (
        {
            "en": "Welcome by the host city, Rabat",
            "fr": "Accueil par la ville hôte, Rabat",
            "es": "Bienvenida de la ciudad anfitriona, Rabat",
        },
        30,
    ),
    (
        {
            "en": "Ongoing learning experiences",
            "fr": "Expériences d'apprentissage en cours",
            "es": "Experiencias de aprendizaje en curso",
        },
        120,
    ),
    (
        {
            "en": "Cities' learning needs and demands",
            "fr": "Besoins et demandes des villes en matière d'apprentissage",
            "es": "Necesidades y demandas de aprendizaje de las ciudades",
        },
        120,
    ),
    (
        {
            "en": "The learning agenda: actions for the coming months",
            "fr": "L'agenda de l'apprentissage : actions pour les mois à venir",
            "es": "La agenda del aprendizaje: acciones para los próximos meses",
        },
        90,
    ),
]
# One decision per workstream of the circular, in its order (demo.actions links them).
DECISIONS = [
    {
        "en": "Intermediary Cities: support communication between actors, finalise the Framework Document and complement it with case studies, support peer learning and lobby European platforms and bodies.",
        "fr": "Villes intermédiaires : soutenir la communication entre acteurs, finaliser le Document cadre et le compléter par des études de cas, soutenir l'apprentissage entre pairs et effectuer des actions de lobby auprès des plateformes et instances européennes.",
        "es": "Ciudades intermedias: apoyar la comunicación entre actores, finalizar el Documento marco y completarlo con estudios de caso, apoyar el aprendizaje entre pares y hacer incidencia ante las plataformas e instancias europeas.",
    },
    {
        "en": "UN Guidelines on Urban and Territorial Planning: support the UN processes with the recommendations of the Policy Paper on Strategic Planning, stressing local leadership in every planning process.",
        "fr": "Lignes directrices des Nations Unies sur la planification urbaine et territoriale : appuyer les processus des Nations Unies avec les recommandations du Document d'orientation sur la planification stratégique, en mettant l'accent sur le leadership local dans tous les processus de planification.",
        "es": "Directrices de las Naciones Unidas sobre planificación urbana y territorial: apoyar los procesos de las Naciones Unidas con las recomendaciones del Documento de orientación sobre planificación estratégica, destacando el liderazgo local en todo proceso de planificación.",
    },
    {
        "en": "City-to-city learning: follow up and support partnerships, follow up existing groups and the conclusions drawn from documents, and make the commissions' initiatives and the network's coherent so that the agenda follows local governments' demands.",
        "fr": "Apprentissage entre villes : suivre et soutenir les partenariats, suivre les groupes existants et les conclusions tirées des documents, et renforcer la cohérence entre les initiatives des commissions et celles du réseau afin que l'agenda suive les demandes des gouvernements locaux.",
        "es": "Aprendizaje entre ciudades: seguir y apoyar las alianzas, seguir los grupos existentes y las conclusiones extraídas de los documentos, y reforzar la coherencia entre las iniciativas de las comisiones y las de la red para que la agenda responda a las demandas de los gobiernos locales.",
    },
    {
        "en": "Presidency: encourage the commission presidencies, led by Durban, Porto Alegre and Bilbao, to represent the network at lobbying events and international meetings.",
        "fr": "Présidence : encourager les présidences des commissions, menées par Durban, Porto Alegre et Bilbao, à représenter le réseau dans les événements de lobbying et les réunions internationales.",
        "es": "Presidencia: animar a las presidencias de las comisiones, encabezadas por Durban, Porto Alegre y Bilbao, a representar a la red en los eventos de incidencia y las reuniones internacionales.",
    },
]
REPORTS = {
    "en": (
        "Report of the joint meeting, Rabat, 1 October 2013",
        "More than 60 representatives of cities, associations of local authorities and organisations from several world regions met in Rabat. They learned about ongoing learning experiences, debated cities' learning needs and demands, and laid the basis of the work. The actions decided for the coming months are grouped in four workstreams: Intermediary Cities; UN Guidelines on Urban and Territorial Planning; City-to-city learning; Presidency.",
    ),
    "fr": (
        "Rapport de la réunion conjointe, Rabat, 1er octobre 2013",
        "Plus de 60 représentants de villes, d'associations d'autorités locales et d'organisations de différentes régions du monde se sont réunis à Rabat. Ils ont pris connaissance d'expériences d'apprentissage en cours, débattu des besoins et demandes des villes en matière d'apprentissage et défini les bases du travail. Les actions décidées pour les mois à venir sont regroupées en quatre axes : Villes intermédiaires ; Lignes directrices des Nations Unies sur la planification urbaine et territoriale ; Apprentissage entre villes ; Présidence.",
    ),
    "es": (
        "Informe de la reunión conjunta, Rabat, 1 de octubre de 2013",
        "Más de 60 representantes de ciudades, asociaciones de autoridades locales y organizaciones de distintas regiones del mundo se reunieron en Rabat. Conocieron experiencias de aprendizaje en curso, debatieron las necesidades y demandas de aprendizaje de las ciudades y sentaron las bases del trabajo. Las acciones decididas para los próximos meses se agrupan en cuatro líneas de trabajo: Ciudades intermedias; Directrices de las Naciones Unidas sobre planificación urbana y territorial; Aprendizaje entre ciudades; Presidencia.",
    ),
}
PARTICIPANTS = 70


def find_rabat_meeting() -> Meeting | None:
    return Meeting.objects.filter(title_en=TITLES["en"], starts_at=STARTS).first()


def load_demo(stdout=None) -> None:
    commissions = list(
        Commission.objects.filter(
            slug__in=["strategic-urban-planning", "digital-knowledge-cities"]
        ).order_by("slug")
    )
    if not commissions:
        if stdout:
            stdout.write("meetings: demo commissions absent, nothing loaded")
        return
    meeting = find_rabat_meeting()
    if meeting is None:
        meeting = services.create_meeting(
            commissions=commissions,
            titles=TITLES,
            purposes=PURPOSES,
            starts_at=STARTS,
            ends_at=ENDS,
            time_zone="Africa/Casablanca",
            host=Organisation.objects.filter(external_ref="demo:rabat").first(),
            venue="Rabat",
            status=MeetingStatus.HELD,
            actor=None,
        )
    if not meeting.agenda_items.exists():
        for titles, minutes in AGENDA:
            services.add_agenda_item(meeting, titles=titles, duration_minutes=minutes, actor=None)
    if not meeting.invitations.exists():
        services.invite_commission_members(meeting, actor=None)
    if not meeting.participations.exists():
        people = (
            Person.objects.filter(organisation__external_ref__startswith="demo:")
            .order_by("organisation_id", "id")
            .values_list("pk", flat=True)[:PARTICIPANTS]
        )
        services.record_attendance(meeting, list(people), actor=None)
    if not meeting.decisions.exists():
        for texts in DECISIONS:
            services.record_decision(meeting, texts=texts, actor=None)
    for language, (title, text) in REPORTS.items():
        if not meeting.reports.filter(language=language).exists():
            services.publish_report(meeting, language=language, title=title, text=text, actor=None)
    if not Minutes.objects.filter(meeting=meeting).exists():
        services.save_minutes(meeting, REPORTS["en"][1], actor=None)
        services.approve_minutes(meeting, actor=None)
    if stdout:
        stdout.write(
            f"meetings: Rabat joint meeting with {meeting.participations.count()} participants"
        )
