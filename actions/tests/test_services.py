from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from actions import services
from actions.models import Action, ActionStatus
from audit.models import AuditEntry
from meetings import services as meeting_services
from meetings.tests.factories import make_meeting

from .factories import make_action, make_workstream

pytestmark = pytest.mark.django_db


def test_an_action_is_created_from_a_decision_with_owners(
    city_officer, commission, member_city, digital
):
    meeting = make_meeting(commissions=[commission, digital])
    decision = meeting_services.record_decision(meeting, texts={"en": "Finalise"}, actor=None)
    ws = make_workstream(commissions=[commission, digital], opened_by=meeting)
    action = make_action(
        workstream=ws,
        decision=decision,
        owner_organisations=[member_city],
        owner_people=[city_officer.person],
        due_date=date(2014, 3, 31),
    )
    assert list(decision.actions.all()) == [action]
    assert list(action.owner_organisations.all()) == [member_city]
    assert AuditEntry.objects.filter(action="actions.action.created").exists()


def test_an_update_moves_progress_and_status_and_is_logged(commission, city_officer):
    action = make_action(workstream=make_workstream(commissions=[commission]))
    update = services.post_update(
        action, text="Draft circulated", progress=40, status="in_progress", actor=city_officer
    )
    action.refresh_from_db()
    assert (action.progress, action.status) == (40, ActionStatus.IN_PROGRESS)
    assert (update.status_before, update.status_after) == ("planned", "in_progress")


def test_done_means_complete(commission):
    action = make_action(workstream=make_workstream(commissions=[commission]))
    services.post_update(action, text="Finished", status="done", actor=None)
    action.refresh_from_db()
    assert action.progress == 100


@pytest.mark.parametrize("progress", [-1, 101])
def test_progress_outside_0_100_is_refused_and_nothing_saved(commission, progress):
    action = make_action(workstream=make_workstream(commissions=[commission]))
    with pytest.raises(ValidationError):
        services.post_update(action, text="Too much", progress=progress, actor=None)
    action.refresh_from_db()
    assert action.progress == 0 and not action.updates.exists()


def test_late_open_actions_come_first(commission):
    ws = make_workstream(commissions=[commission])
    later = make_action(workstream=ws, title="Later", due_date=date(2099, 1, 1))
    late = make_action(workstream=ws, title="Late", due_date=date(2000, 1, 1))
    done = make_action(workstream=ws, title="Done late", due_date=date(1999, 1, 1), status="done")
    undated = make_action(workstream=ws, title="Undated")
    assert list(Action.objects.overdue_first()) == [late, later, undated, done]
    assert late.is_overdue() and not done.is_overdue()


def test_bulk_update_changes_every_action(commission):
    ws = make_workstream(commissions=[commission])
    actions = [make_action(workstream=ws, title=f"A{n}") for n in range(3)]
    assert services.bulk_update(actions, changes={"status": "blocked"}, actor=None) == 3
    assert set(Action.objects.values_list("status", flat=True)) == {"blocked"}


def test_csv_export_then_import_round_trips(commission, member_city):
    member_city.external_ref = "demo:rabat"
    member_city.save()
    ws = make_workstream(commissions=[commission])
    action = make_action(
        workstream=ws, owner_organisations=[member_city], due_date=date(2014, 6, 30)
    )
    text = services.export_csv(Action.objects.all())
    assert "demo:rabat" in text and "2014-06-30" in text
    changed = text.replace("2014-06-30", "2014-09-30")
    new_row = f",{ws.pk},Lobby European platforms,,,demo:rabat,planning,2014-12-31,planned,0,1\n"
    result = services.import_csv(changed + new_row, workstreams=[ws], actor=None)
    assert (result.created, result.updated, result.errors) == (1, 1, [])
    action.refresh_from_db()
    assert action.due_date == date(2014, 9, 30)
    assert (
        Action.objects.get(title_en="Lobby European platforms").owner_commissions.get()
        == commission
    )


def test_a_title_the_export_kept_from_being_a_formula_comes_back_as_it_was(commission):
    ws = make_workstream(commissions=[commission])
    action = make_action(workstream=ws, title="=Housing first, then transport")
    text = services.export_csv(Action.objects.all())
    assert "'=Housing first" in text  # a spreadsheet shows it as text
    edited = text.replace("=Housing first, then transport", "=Housing first, then water")
    result = services.import_csv(edited, workstreams=[ws], actor=None)
    assert (result.updated, result.errors) == (1, [])
    action.refresh_from_db()
    assert action.title_en == "=Housing first, then water"


def test_an_import_with_unknown_owners_or_bad_dates_saves_nothing(commission):
    ws = make_workstream(commissions=[commission])
    text = (
        "id,workstream,title_en,title_fr,title_es,owner_organisations,owner_commissions,due_date,status,progress,priority\n"
        f",{ws.pk},Good row,,,,,2014-12-31,planned,0,2\n"
        f",{ws.pk},Bad owner,,,demo:atlantis,,2014-12-31,planned,0,2\n"
        f",{ws.pk},Bad date,,,,,31/12/2014,planned,0,2\n"
    )
    with translation.override("en"):
        result = services.import_csv(text, workstreams=[ws], actor=None)
    assert not Action.objects.exists()
    assert any("Line 3" in e and "demo:atlantis" in e for e in result.errors)
    assert any("Line 4" in e and "YYYY-MM-DD" in e for e in result.errors)


def test_an_import_cannot_touch_another_commissions_actions(commission, other_commission):
    mine = make_workstream(commissions=[commission])
    theirs = make_workstream(commissions=[other_commission])
    action = make_action(workstream=theirs, title="Theirs")
    text = (
        "id,workstream,title_en,due_date,status\n"
        f"{action.pk},{mine.pk},Hijacked,2014-12-31,planned\n"
    )
    result = services.import_csv(text, workstreams=[mine], actor=None)
    assert result.errors
    action.refresh_from_db()
    assert action.title == "Theirs"
