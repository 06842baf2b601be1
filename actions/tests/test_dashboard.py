"""The action plan's dashboard, rendered once per question and kept until its data changes."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions import services
from actions.models import ActionStatus
from meetings.tests.factories import make_organisation
from network import changes

from .factories import make_action, make_workstream

pytestmark = pytest.mark.django_db


def dashboard(client, query: str = "") -> str:
    response = client.get(reverse("actions:dashboard") + query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def workstream(commission):
    return make_workstream(commissions=[commission], title="Water for all")


def test_a_new_action_shows_at_the_next_request(client, city_officer, workstream):
    make_action(workstream=workstream, title="Map the wells")
    client.force_login(city_officer)
    assert "Map the wells" in dashboard(client)
    make_action(workstream=workstream, title="Train the plumbers")
    assert "Train the plumbers" in dashboard(client)


def test_an_edited_or_completed_action_shows_at_the_next_request(client, city_officer, workstream):
    action = make_action(workstream=workstream, title="Map the wells")
    client.force_login(city_officer)
    assert "Map the wells" in dashboard(client)
    services.update_action(action, changes={"title_en": "Map every well"}, actor=None)
    page = dashboard(client)
    assert "Map every well" in page and "Map the wells" not in page
    services.post_update(action, text="Done", status=ActionStatus.DONE, actor=None)
    assert "Map every well" not in dashboard(client)  # open actions only, by default
    assert "Map every well" in dashboard(client, "?status=done")


def test_an_owner_renamed_in_bulk_shows_at_the_next_request(client, city_officer, workstream):
    owner = make_organisation(name="Tanger")
    make_action(workstream=workstream, title="Map the wells", owner_organisations=[owner])
    assert "Tanger" in dashboard(client)
    type(owner).objects.filter(pk=owner.pk).update(name="Tanger-Assilah", name_en="Tanger-Assilah")
    changes.organisations_changed([owner.pk], fields=["name"])
    assert "Tanger-Assilah" in dashboard(client)


def test_what_is_late_moves_with_the_date(client, workstream, monkeypatch):
    make_action(workstream=workstream, title="Map the wells", due_date=date(2030, 6, 1))
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: date(2030, 5, 31))
    assert 'class="overdue"' not in dashboard(client)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: date(2030, 6, 2))
    assert 'class="overdue"' in dashboard(client)


def test_each_reader_sees_their_own_tools_and_their_own_actions(
    client, city_officer, member_city, secretariat, workstream
):
    make_action(workstream=workstream, title="Rabat's action", owner_organisations=[member_city])
    make_action(workstream=workstream, title="Someone else's action")
    client.force_login(secretariat)
    page = dashboard(client)
    assert 'name="actions"' in page and 'id="bulk-form"' in page
    mine = dashboard(client, "?mine=1")
    assert "Someone else" not in mine and "Rabat" not in mine
    client.force_login(city_officer)
    page = dashboard(client)
    assert 'name="actions"' not in page and 'id="bulk-form"' not in page
    mine = dashboard(client, "?mine=1")
    assert "Rabat&#x27;s action" in mine and "Someone else" not in mine
    client.logout()
    assert 'name="actions"' not in dashboard(client)


def test_a_role_granted_changes_my_actions_at_the_next_request(
    client, outsider, member_city, workstream
):
    from accounts.models import Role
    from accounts.services import grant_role

    make_action(workstream=workstream, title="Rabat's action", owner_organisations=[member_city])
    client.force_login(outsider)
    assert "Rabat" not in dashboard(client, "?mine=1")
    grant_role(outsider, Role.REPRESENTATIVE, organisation=member_city, actor=None)
    assert "Rabat&#x27;s action" in dashboard(client, "?mine=1")


def test_the_queries_do_not_grow_with_the_page_and_a_repeated_page_reads_no_table(
    client, secretariat, commission, city_officer
):
    def queries(query: str = "") -> int:
        with CaptureQueriesContext(connection) as captured:
            dashboard(client, query)
        return len(captured.captured_queries)

    client.force_login(secretariat)
    small = make_workstream(commissions=[commission], title="Small")
    make_action(workstream=small, title="Alone", owner_organisations=[make_organisation()])
    few = queries(f"?workstream={small.pk}")
    large = make_workstream(commissions=[commission], title="Large")
    for n in range(30):
        make_action(
            workstream=large,
            title=f"A{n}",
            owner_organisations=[make_organisation()],
            owner_people=[city_officer.person],
            due_date=date(2014, 1, 1 + n % 28),
        )
    many = queries(f"?workstream={large.pk}")
    assert many <= few
    with CaptureQueriesContext(connection) as captured:
        dashboard(client, f"?workstream={large.pk}")
    read = " ".join(query["sql"] for query in captured.captured_queries)
    assert "actions_action" not in read
