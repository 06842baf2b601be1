from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import Action
from meetings import services as meeting_services
from meetings.tests.factories import make_meeting, make_organisation

from .factories import make_action, make_workstream

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(commission, member_city, durban, digital):
    ws = make_workstream(commissions=[commission, digital])
    own = make_action(workstream=ws, title="Rabat's action", owner_organisations=[member_city])
    theirs = make_action(workstream=ws, title="Durban's action", owner_organisations=[durban])
    return ws, own, theirs


def test_a_city_officer_updates_the_actions_it_owns(client, city_officer, plan):
    _ws, own, _theirs = plan
    client.force_login(city_officer)
    response = client.post(
        reverse("actions:detail", args=[own.pk]),
        {"text": "Case studies collected", "progress": "60", "status": "in_progress"},
        follow=True,
    )
    assert "Your update is posted." in response.content.decode()
    own.refresh_from_db()
    assert own.progress == 60
    dashboard = client.get(reverse("actions:dashboard")).content.decode()
    assert 'value="60"' in dashboard


def test_a_city_officer_cannot_update_another_citys_action(client, city_officer, plan):
    _ws, _own, theirs = plan
    client.force_login(city_officer)
    response = client.post(
        reverse("actions:detail", args=[theirs.pk]), {"text": "Forged", "progress": "90"}
    )
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.progress == 0 and not theirs.updates.exists()


def test_a_progress_outside_0_100_shows_a_message(client, city_officer, plan):
    _ws, own, _theirs = plan
    client.force_login(city_officer)
    response = client.post(
        reverse("actions:detail", args=[own.pk]), {"text": "x", "progress": "150"}
    )
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 100." in response.content.decode()
    assert not own.updates.exists()


@pytest.mark.parametrize("persona", ["presidency", "outsider", "other_secretariat"])
def test_other_roles_cannot_update_or_edit_an_action(client, request, plan, persona):
    _ws, own, _theirs = plan
    client.force_login(request.getfixturevalue(persona))
    assert client.post(reverse("actions:detail", args=[own.pk]), {"text": "x"}).status_code == 403
    assert client.get(reverse("actions:edit", args=[own.pk])).status_code == 403


def test_anyone_reads_the_action_plan_but_anonymous_cannot_post(client, plan):
    _ws, own, _theirs = plan
    assert "Rabat&#x27;s action" in client.get(reverse("actions:dashboard")).content.decode()
    assert client.post(reverse("actions:detail", args=[own.pk]), {"text": "x"}).status_code == 403


def test_the_secretariat_turns_a_decision_into_an_action(
    client, commission, member_city, secretariat
):
    meeting = make_meeting(commissions=[commission])
    decision = meeting_services.record_decision(
        meeting, texts={"en": "Support peer learning"}, actor=None
    )
    ws = make_workstream(commissions=[commission], opened_by=meeting)
    client.force_login(secretariat)
    form = client.get(reverse("actions:create"), {"decision": decision.pk}).content.decode()
    assert "Support peer learning" in form
    response = client.post(
        reverse("actions:create"),
        {
            "decision": decision.pk,
            "workstream": ws.pk,
            "title_en": "Support peer learning",
            "status": "planned",
            "progress": "0",
            "priority": "2",
            "owner_organisations": [member_city.pk],
            "due_date": "2014-06-30",
        },
    )
    action = Action.objects.get()
    assert response.status_code == 302
    assert action.decision == decision and list(action.owner_organisations.all()) == [member_city]


def test_a_secretariat_cannot_add_actions_to_another_commissions_workstream(
    client, other_commission, secretariat
):
    theirs = make_workstream(commissions=[other_commission])
    client.force_login(secretariat)
    response = client.post(
        reverse("actions:create"),
        {
            "workstream": theirs.pk,
            "title_en": "Forged",
            "status": "planned",
            "progress": "0",
            "priority": "2",
        },
    )
    assert response.status_code == 200  # not among the choices
    assert not Action.objects.exists()


def test_bulk_update_is_refused_on_actions_one_does_not_manage(
    client, other_commission, secretariat, plan
):
    _ws, own, _theirs = plan
    mine = make_action(workstream=make_workstream(commissions=[other_commission]), title="Other's")
    client.force_login(secretariat)
    response = client.post(
        reverse("actions:bulk"), {"actions": [own.pk, mine.pk], "status": "done"}
    )
    assert response.status_code == 403
    assert not Action.objects.filter(status="done").exists()
    client.post(reverse("actions:bulk"), {"actions": [own.pk], "status": "done"})
    own.refresh_from_db()
    assert own.status == "done"


def test_a_bad_csv_import_shows_the_errors_and_saves_nothing(client, secretariat, plan):
    ws, _own, _theirs = plan
    client.force_login(secretariat)
    upload = SimpleUploadedFile(
        "actions.csv",
        f"workstream,title_en,due_date,status\n{ws.pk},New,2014-13-45,planned\n".encode(),
    )
    response = client.post(reverse("actions:import"), {"file": upload})
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.content.decode()
    assert Action.objects.count() == 2


def test_csv_export_lists_the_actions(client, plan):
    response = client.get(reverse("actions:export"), {"status": "all"})
    assert response["Content-Type"].startswith("text/csv")
    assert "Rabat's action" in response.content.decode()


def test_the_meeting_page_lists_the_open_actions_of_its_workstreams(client, commission, plan):
    meeting = make_meeting(commissions=[commission])
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Open actions to review" in page and "Durban&#x27;s action" in page


def test_the_dashboard_keeps_a_query_budget(
    client, city_officer, commission, secretariat, django_assert_max_num_queries
):
    ws = make_workstream(commissions=[commission])
    for n in range(60):
        make_action(
            workstream=ws,
            title=f"A{n}",
            owner_organisations=[make_organisation()],
            owner_people=[city_officer.person],
            due_date=date(2014, 1, 1 + n % 28),
        )
    client.force_login(secretariat)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("actions:dashboard"))
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        assert (
            client.get(reverse("actions:detail", args=[Action.objects.first().pk])).status_code
            == 200
        )


def test_a_csv_import_reports_every_bad_row_with_its_line_and_saves_nothing(
    client, secretariat, plan
):
    ws, own, _theirs = plan
    client.force_login(secretariat)
    long_title = "A" * 400
    upload = SimpleUploadedFile(
        "actions.csv",
        (
            "id,workstream,title_en,due_date,status,progress\n"
            f",{ws.pk},Fine new action,2014-06-01,planned,10\n"
            f",{ws.pk},{long_title},2014-06-01,planned,0\n"
            f"{own.pk},,,2014-06-01,finished,0\n"
            f",{ws.pk},Too far,2014-06-01,planned,150\n"
        ).encode(),
    )

    response = client.post(reverse("actions:import"), {"file": upload})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert "Line 3: " in page and "at most 300 characters (it has 400)" in page
    assert "Line 4: " in page and "is not a valid choice" in page
    assert "Line 5: " in page and "from 0 to 100" in page
    assert "Line 2: " not in page
    assert not Action.objects.filter(title_en="Fine new action").exists()
    own.refresh_from_db()
    assert own.status == "planned"
