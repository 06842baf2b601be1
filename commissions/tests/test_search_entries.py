"""Commissions in the search: indexed as they are written or deleted."""

import pytest

from accounts.models import Role
from commissions import services as commission_services
from library.tests.factories import make_user
from meetings.tests.factories import make_meeting
from search.searching import run_search

pytestmark = pytest.mark.django_db


def found(text, **filters):
    return run_search(None, text, filters=filters).total


def test_creating_and_renaming_a_commission_reindexes_it_after_commit(on_commit):
    commission = on_commit(
        commission_services.create_commission,
        slug="peri-urban",
        actor=None,
        name_en="Peri-urban agriculture",
    )
    assert found("agriculture", type="commission") == 1
    on_commit(commission_services.update_commission, commission, actor=None, name_en="Forestry")
    assert found("forestry", type="commission") == 1
    assert found("agriculture", type="commission") == 0


def test_a_commission_deleted_in_the_back_office_leaves_the_search_and_its_meetings(
    client, on_commit
):
    commission = on_commit(
        commission_services.create_commission,
        slug="heritage",
        actor=None,
        name_en="Heritage districts",
    )
    other = on_commit(
        commission_services.create_commission, slug="statistics", actor=None, name_en="Statistics"
    )
    meeting = on_commit(make_meeting, commissions=[commission, other], title="Spring session")
    assert found("heritage", type="commission") == 1
    assert found("heritage", type="meeting") == 1
    client.force_login(make_user(Role.NETWORK_ADMIN, is_staff=True))
    response = on_commit(
        client.post, f"/admin/commissions/commission/{commission.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert found("heritage") == 0
    assert found("spring session", type="meeting") == 1
    assert meeting.commissions.get() == other
