"""The demo partnerships: every stage, consistent with the demo network, loaded twice."""

import pytest
from django.utils import timezone

from demo import accounts as accounts_demo
from demo import actions as actions_demo
from demo import commissions as commissions_demo
from demo import network as network_demo
from demo.learning import partnerships as demo_partnerships
from learning.models import LearningNote, Partnership
from library.models import DocumentKind

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_partnership_at_every_stage_and_loads_twice_unchanged(settings, tmp_path):
    for module in (network_demo, commissions_demo, accounts_demo, actions_demo):
        module.load_demo()
    demo_partnerships.load_demo()
    demo_partnerships.load_demo()
    statuses = dict(Partnership.objects.values_list("title_en", "status"))
    assert sorted(statuses.values()) == [
        "active",
        "agreed",
        "closed_early",
        "completed",
        "proposed",
    ]
    durban = Partnership.objects.get(title_en=demo_partnerships.DURBAN)
    assert {p.organisation.name for p in durban.parties.all()} == {"Durban", "Otjiwarongo", "Mzuzu"}
    note = LearningNote.objects.get(partnership=durban)
    assert note.document.kind == DocumentKind.LEARNING_NOTE
    assert note.roadmap.filter(action__isnull=False).count() == 2
    maputo = Partnership.objects.get(title_en=demo_partnerships.MAPUTO)
    assert maputo.reports.count() == 1
    assert maputo.next_report_due_on < timezone.localdate()
    rabat = Partnership.objects.get(title_en=demo_partnerships.RABAT)
    assert rabat.parties.get(organisation__name="Rabat").response == "pending"
