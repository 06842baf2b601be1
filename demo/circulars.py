"""Demo data: the Rabat meeting-outcome circular (the seed) and a draft call for participation.

The Rabat circular is written from the demo meeting's records, in French first as the seed
was, approved by the World Secretariat and handed to the background worker: when the
platform runs (`run_platform` starts the worker and the local mail sink), its messages land
in the mail sink and show at /mailbox/; the circular then appears in the public archive.
Sending through the real pipeline, rather than marking it sent, shows the delivery log
and the progress bar with real rows; every demo address is at example.org.
Idempotent: circulars are found by their English subject or by their meeting.
"""

from circulars import services
from circulars.models import Circular, CircularKind, CircularStatus, SegmentKind
from demo.meetings import find_rabat_meeting

CALL_SUBJECTS = {
    "en": "Call for participation: cities to document an experience of strategic planning",
    "fr": "Appel à participation : des villes pour documenter une expérience de planification stratégique",
    "es": "Convocatoria: ciudades para documentar una experiencia de planificación estratégica",
}
CALL_BODIES = {
    "en": "Dear {{name}},\n\nThe learning programme is looking for **intermediary cities** willing to document an experience of strategic urban planning as a case study for the Framework Document.\n\nReply to this message before the end of the month.\n",
    "fr": "Cher·e {{name}},\n\nLe programme d'apprentissage recherche des **villes intermédiaires** prêtes à documenter une expérience de planification urbaine stratégique comme étude de cas pour le Document cadre.\n\nRépondez à ce message avant la fin du mois.\n",
    "es": "Estimado/a {{name}}:\n\nEl programa de aprendizaje busca **ciudades intermedias** dispuestas a documentar una experiencia de planificación urbana estratégica como estudio de caso para el Documento marco.\n\nResponda a este mensaje antes de fin de mes.\n",
}


def load_demo(stdout=None) -> None:
    # Demo records name nobody as their author in the audit log (actor None), like the
    # other apps' demo data.
    admin = None
    meeting = find_rabat_meeting()
    if meeting is None:
        if stdout:
            stdout.write("circulars: Rabat meeting absent, nothing loaded")
        return
    rabat = Circular.objects.filter(meetings=meeting, kind=CircularKind.MEETING_OUTCOME).first()
    if rabat is None:
        rabat = services.draft_from_meeting(meeting, original_language="fr", actor=admin)
    if rabat.status == CircularStatus.DRAFT:
        rabat = services.approve_circular(rabat, actor=admin)
    if rabat.status == CircularStatus.APPROVED:
        services.start_sending(rabat, actor=admin)
    if not Circular.objects.filter(subject_en=CALL_SUBJECTS["en"]).exists():
        call = services.create_circular(
            kind=CircularKind.CALL_FOR_PARTICIPATION,
            commissions=list(meeting.commissions.filter(slug="strategic-urban-planning")),
            original_language="en",
            subjects=CALL_SUBJECTS,
            bodies=CALL_BODIES,
            meetings=[meeting],
            actor=admin,
        )
        services.set_audience(
            call,
            [
                {"kind": SegmentKind.ORGANISATION_KIND, "organisation_kind": "local_government"},
                {"kind": SegmentKind.PARTNERS, "exclude": True},
            ],
            actor=admin,
        )
    rabat.refresh_from_db()
    if stdout:
        stdout.write(
            f"circulars: Rabat circular {rabat.get_status_display()} "
            f"({rabat.deliveries.count()} recipients), a draft call for participation"
        )
