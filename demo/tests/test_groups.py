"""The demo learning groups load on the demo network, twice without duplicates."""

import pytest

from demo import actions as actions_demo
from demo import commissions as commissions_demo
from demo import network as network_demo
from demo.learning import groups as demo_groups
from learning.models import GroupConclusion, GroupMembership, GroupSession, LearningGroup

pytestmark = pytest.mark.django_db


def test_the_demo_groups_load_with_a_conclusion_in_the_action_plan_and_load_again_unchanged():
    network_demo.load_demo()
    commissions_demo.load_demo()
    actions_demo.load_demo()
    demo_groups.load_demo()
    counts = (
        LearningGroup.objects.count(),
        GroupMembership.objects.count(),
        GroupSession.objects.count(),
        GroupConclusion.objects.count(),
    )
    demo_groups.load_demo()
    assert counts == (
        LearningGroup.objects.count(),
        GroupMembership.objects.count(),
        GroupSession.objects.count(),
        GroupConclusion.objects.count(),
    )
    assert counts[0] == 2
    planning = LearningGroup.objects.get(slug="intermediary-cities-planning")
    assert planning.memberships.filter(left_on__isnull=False).count() == 1
    conclusion = planning.conclusions.get(action__isnull=False)
    assert conclusion.action.workstream.title_en == "City-to-city learning"
    assert planning.name_fr == "La planification stratégique dans les villes intermédiaires"
