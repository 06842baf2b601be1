"""A partnership agreed from a learning need moves the need to "in partnership"."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from learning.models import NeedStatus
from learning.needs.tests.factories import make_need
from learning.partnerships.tests.factories import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def test_the_need_behind_an_agreed_partnership_is_in_partnership_with_its_history(world):
    need = make_need(world.learner, title="Waste collection in informal areas")
    world.agreed(needs=[need])
    need.refresh_from_db()
    assert need.status == NeedStatus.IN_PARTNERSHIP
    change = need.status_changes.order_by("changed_at", "id").last()
    assert (change.old_status, change.new_status) == ("open", "in_partnership")
    # The last party to accept made it agreed.
    assert change.changed_by == world.mandla
    assert "Solid waste management" in change.note
    assert AuditEntry.objects.filter(action="learning.need.status_changed").count() == 1


def test_a_matched_need_moves_too_but_a_met_need_keeps_its_status(world):
    matched = make_need(world.learner, status=NeedStatus.MATCHED)
    met = make_need(world.learner, status=NeedStatus.MET)
    world.agreed(needs=[matched, met])
    matched.refresh_from_db()
    met.refresh_from_db()
    assert matched.status == NeedStatus.IN_PARTNERSHIP
    assert met.status == NeedStatus.MET


def test_a_refused_proposal_leaves_the_need_open(world):
    need = make_need(world.learner)
    with pytest.raises(Exception):  # noqa: B017, PT011 - the ValidationError of a bad proposal
        world.propose(needs=[need], mentors=[])
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN
    assert need.status_changes.count() == 1


def test_the_need_page_shows_in_partnership_and_the_change_in_its_history(client, world):
    need = make_need(world.learner, title="Waste collection in informal areas")
    world.propose(needs=[need])
    client.force_login(world.mandla)  # reads English
    page = client.get(reverse("learning:need", args=[need.pk])).content.decode()
    assert "<strong>In partnership</strong>" not in page  # proposed is not agreed yet
    world.agreed(needs=[need], title="Waste pickers' cooperatives")
    page = client.get(reverse("learning:need", args=[need.pk])).content.decode()
    assert "<strong>In partnership</strong>" in page
    assert "from Open to In partnership" in page
    assert "Partnership agreed: Waste pickers&#x27; cooperatives" in page
