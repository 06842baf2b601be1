import pytest

from actions.models import Action, Workstream
from demo import actions as actions_demo
from demo import meetings as meetings_demo
from meetings.models import ExternalEvent, Meeting, ParticipationStatus
from meetings.tests.factories import make_commission, make_organisation, make_person

pytestmark = pytest.mark.django_db


def test_the_demo_does_nothing_without_the_demo_network():
    meetings_demo.load_demo()
    actions_demo.load_demo()
    assert not Meeting.objects.exists() and not Action.objects.exists()


def test_the_demo_records_the_rabat_meeting_and_its_action_plan_once():
    make_commission(slug="strategic-urban-planning", name="Strategic Urban Planning")
    make_commission(slug="digital-knowledge-cities", name="Digital and Knowledge-Based Cities")
    for slug in ("rabat", "durban", "porto-alegre", "bilbao", "world-secretariat"):
        org = make_organisation(name=slug.title(), external_ref=f"demo:{slug}")
        for _ in range(14):
            make_person(organisation=org)
    for _ in range(2):
        meetings_demo.load_demo()
        actions_demo.load_demo()
    meeting = Meeting.objects.get()
    assert meeting.local_start.isoformat().startswith("2013-10-01T09:00")
    assert meeting.commissions.count() == 2 and meeting.host.external_ref == "demo:rabat"
    assert meeting.participations.filter(status=ParticipationStatus.ATTENDED).count() == 70
    assert meeting.decisions.count() == 4 and meeting.reports.count() == 3
    assert list(Workstream.objects.values_list("title_fr", flat=True)) == [
        "Villes intermédiaires",
        "Lignes directrices des Nations Unies sur la planification urbaine et territoriale",
        "Apprentissage entre villes",
        "Présidence",
    ]
    assert Action.objects.count() == 11
    assert Action.objects.filter(decision__isnull=True).count() == 0
    presidency = Action.objects.get(workstream__title_en="Presidency")
    assert {o.external_ref for o in presidency.owner_organisations.all()} == {
        "demo:durban",
        "demo:porto-alegre",
        "demo:bilbao",
    }
    assert Action.objects.get(title_en="Finalise the Framework Document").status == "done"
    event = ExternalEvent.objects.get()
    assert event.workstream.title_en == "Presidency"
    assert event.representations.count() == 3
