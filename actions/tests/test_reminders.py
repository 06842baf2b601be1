from datetime import date, timedelta

import pytest
from django.core.management import call_command

from accounts.models import Role
from actions.models import ReminderDigest
from actions.reminders import send_digests
from actions.tasks import send_reminder_digests
from conftest import message_text
from meetings.tests.factories import grant, make_person, make_user

from .factories import make_action, make_workstream

pytestmark = pytest.mark.django_db

DAY = date(2014, 3, 1)


def test_owners_get_one_digest_in_their_language_before_and_after_due_dates(
    commission, smtp_server
):
    ws = make_workstream(commissions=[commission])
    marie = make_person(
        first_name="Marie", last_name="Dupont", email="marie@example.org", preferred_language="fr"
    )
    late = make_action(
        workstream=ws, title="Late one", owner_people=[marie], due_date=DAY - timedelta(days=10)
    )
    late.title_fr = "Action en retard"
    late.save()
    make_action(workstream=ws, title="Soon", owner_people=[marie], due_date=DAY + timedelta(days=3))
    make_action(
        workstream=ws, title="Far away", owner_people=[marie], due_date=DAY + timedelta(days=60)
    )
    make_action(workstream=ws, title="Done", owner_people=[marie], due_date=DAY, status="done")
    assert send_digests(DAY) == 1
    [message] = smtp_server
    body = message_text(message)
    assert message["To"] == "marie@example.org"
    assert "actions à suivre" in message["Subject"]
    assert "Action en retard" in body and "Soon" in body
    assert "Far away" not in body and "Done" not in body


def test_representatives_of_owner_organisations_are_reminded(
    commission, member_city, city_officer, smtp_server
):
    ws = make_workstream(commissions=[commission])
    make_action(workstream=ws, owner_organisations=[member_city], due_date=DAY)
    send_digests(DAY)
    assert [m["To"] for m in smtp_server] == [city_officer.email]


def test_the_digest_is_never_sent_twice_the_same_day(city_officer, commission, smtp_server):
    ws = make_workstream(commissions=[commission])
    make_action(workstream=ws, owner_people=[city_officer.person], due_date=DAY)
    send_digests(DAY)
    send_digests(DAY)
    assert len(smtp_server) == 1
    assert ReminderDigest.objects.get().action_count == 1


def test_the_task_and_the_command_send_the_digest(commission, digital, smtp_server, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    ws = make_workstream(commissions=[commission])
    secretary = grant(make_user(email="ws@example.org"), Role.SECRETARIAT, commission=digital)
    make_action(workstream=ws, owner_commissions=[digital], due_date=DAY)
    assert secretary
    call_command("send_action_reminders", "--date", DAY.isoformat())
    assert [m["To"] for m in smtp_server] == ["ws@example.org"]
    send_reminder_digests.enqueue(DAY.isoformat())
    assert len(smtp_server) == 1


def test_the_run_reads_the_owners_in_a_fixed_number_of_queries(
    commission,
    member_city,
    city_officer,
    secretariat,
    presidency,
    smtp_server,
    django_assert_max_num_queries,
):
    ws = make_workstream(commissions=[commission])
    for n in range(30):
        person = make_person(email=f"owner{n}@example.org")
        make_action(
            workstream=ws,
            title=f"Action {n}",
            owner_people=[person],
            owner_organisations=[member_city],
            owner_commissions=[commission],
            due_date=DAY + timedelta(days=n % 5),
        )
    # The due actions, the three owner tables, the people, the role assignments and the
    # digests already sent; then one insert (in a savepoint) per message.
    with django_assert_max_num_queries(7 + 3 * 32):
        sent = send_digests(DAY)
    assert sent == len(smtp_server) == 32
    assert {m["To"] for m in smtp_server} >= {"owner0@example.org", city_officer.email}
