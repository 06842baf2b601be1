"""Download my data, delete my account, the retention purge, the privacy page."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services as accounts
from accounts.models import Invitation, Role, RoleAssignment, User
from audit.models import AuditEntry
from conftest import message_text
from learning.needs.tests.factories import make_need
from library.tests.factories import make_city, make_commission, make_user
from meetings import services as meetings
from meetings.models import Participation, ParticipationStatus
from meetings.tests.factories import make_meeting
from network.models import Person
from notifications.models import Follow, Notification
from privacy import export, retention
from privacy.models import DataExport, PurgeRun

pytestmark = pytest.mark.django_db


def test_a_member_downloads_an_archive_of_their_data_by_mailed_link(client, smtp_server):
    city = make_city()
    user = make_user(Role.REPRESENTATIVE, organisation=city, first_name="Amina")
    Person.objects.create(
        first_name="Amina", last_name="Bennani", email="amina@rabat.ma", phone="+212 5", user=user
    )
    need = make_need(city, actor=user, title="Flood early warning")
    client.force_login(user)

    client.post(reverse("privacy:request_export"))
    again = client.post(reverse("privacy:request_export"), follow=True)
    assert "less than a minute ago" in again.content.decode()
    [requested] = DataExport.objects.all()
    assert export.build(requested.pk) is True  # what the worker does

    [mail] = smtp_server
    link = message_text(mail).split("http://127.0.0.1:8000")[1].split()[0]
    response = client.get(link)
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("data.json"))
    assert data["profile"][0]["phone"] == "+212 5"
    assert [n["title"] for n in data["learning_needs"]] == ["Flood early warning"]
    assert data["roles"][0]["organisation__name"] == city.name
    assert {"target_type": "need", "target_id": need.pk}.items() <= data["follows"][0].items()
    assert "Flood early warning" in archive.read("learning_needs.csv").decode()

    # Someone else cannot use the link.
    client.force_login(make_user())
    assert client.get(link).status_code == 404


def test_deleting_my_account_keeps_the_minutes_and_erases_my_contact_details(client):
    user = make_user(first_name="Diego", last_name="Ramos", email="diego@quito.ec")
    person = Person.objects.create(
        first_name="Diego", last_name="Ramos", email="diego@quito.ec", phone="+593", user=user
    )
    meeting = make_meeting()
    meetings.register(meeting, person, actor=user)
    meetings.save_minutes(meeting, "Diego Ramos presented Quito's plan.", actor=None)
    client.force_login(user)

    response = client.post(reverse("privacy:delete_account"), {"confirm": "yes"}, follow=True)
    assert "Your account is deleted" in response.content.decode()
    user.refresh_from_db()
    person.refresh_from_db()
    assert not user.is_active
    assert "diego" not in user.email
    assert person.email == person.phone == ""
    assert person.first_name.startswith("Former member")
    # What the network must keep is still there, under the pseudonym.
    assert meeting.minutes.text == "Diego Ramos presented Quito's plan."
    assert Participation.objects.filter(person=person).exists()
    assert AuditEntry.objects.filter(action="privacy.account.deleted").exists()
    assert not User.objects.filter(email="diego@quito.ec").exists()
    assert not Follow.objects.filter(user=user).exists()
    # Signed out, and the login no longer works.
    assert not User.objects.filter(email__iexact="diego@quito.ec").exists()


def test_the_last_administrator_and_a_commission_s_only_secretariat_cannot_leave(client):
    admin = make_user(Role.NETWORK_ADMIN)
    commission = make_commission()
    secretariat = make_user(Role.SECRETARIAT, commission=commission)
    client.force_login(admin)
    page = client.post(reverse("privacy:delete_account"), {"confirm": "yes"}).content.decode()
    assert "last administrator" in page
    client.force_login(secretariat)
    page = client.post(reverse("privacy:delete_account"), {"confirm": "yes"}).content.decode()
    assert "without a secretariat" in page
    assert User.objects.filter(is_active=True).count() == 2


def test_an_administrator_deletes_an_account_on_request_and_others_may_not(client):
    make_user(Role.NETWORK_ADMIN)
    admin = make_user(Role.NETWORK_ADMIN)
    member = make_user(email="leaving@example.org")
    stranger = make_user()
    client.force_login(stranger)
    url = reverse("privacy:delete_account_of", args=[member.pk])
    assert client.post(url, {"confirm": "yes"}).status_code == 403
    client.force_login(admin)
    client.post(url, {"confirm": "yes"})
    member.refresh_from_db()
    assert not member.is_active and member.email != "leaving@example.org"


def test_the_purge_removes_exactly_what_expired_and_says_so(settings):
    now = timezone.now()
    old_invitation = Invitation.objects.create(
        email="old@example.org", token="a" * 40, expires_at=now - timedelta(days=100)
    )
    recent_invitation = Invitation.objects.create(
        email="new@example.org", token="b" * 40, expires_at=now - timedelta(days=10)
    )
    never_used = make_user()
    User.objects.filter(pk=never_used.pk).update(date_joined=now - timedelta(days=40))
    newcomer = make_user()
    with_role = make_user(Role.NETWORK_ADMIN)
    User.objects.filter(pk=with_role.pk).update(date_joined=now - timedelta(days=400))
    meeting = make_meeting(starts_at=now - timedelta(days=2000), ends_at=now - timedelta(days=1999))
    attended = Participation.objects.create(
        meeting=meeting,
        person=Person.objects.create(first_name="A", last_name="B"),
        status=ParticipationStatus.ATTENDED,
    )
    cancelled = Participation.objects.create(
        meeting=meeting,
        person=Person.objects.create(first_name="C", last_name="D"),
        status=ParticipationStatus.CANCELLED,
    )

    assert retention.purge(dry_run=True)["expired_invitations"] == 1
    removed = retention.purge()
    assert removed["expired_invitations"] == 1
    assert removed["unconfirmed_accounts"] == 1
    assert removed["past_meeting_registrations"] == 1
    assert not Invitation.objects.filter(pk=old_invitation.pk).exists()
    assert Invitation.objects.filter(pk=recent_invitation.pk).exists()
    assert not User.objects.filter(pk=never_used.pk).exists()
    assert User.objects.filter(pk__in=[newcomer.pk, with_role.pk]).count() == 2
    assert Participation.objects.filter(pk=attended.pk).exists()
    assert not Participation.objects.filter(pk=cancelled.pk).exists()
    assert PurgeRun.objects.get().removed == removed
    assert RoleAssignment.objects.filter(user=with_role).exists()
    assert Notification.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("en", "what Entrevilles keeps"),
        ("fr", "ce qu’Entrevilles conserve"),
        ("es", "qué conserva Entrevilles"),
    ],
)
def test_the_privacy_page_speaks_the_three_languages(client, language, heading):
    client.cookies["entrevilles_language"] = language
    page = client.get(reverse("privacy:privacy"), HTTP_ACCEPT_LANGUAGE=language)
    assert heading in page.content.decode()
    assert "730" in page.content.decode()


def test_administrators_find_the_deletion_on_a_person_s_page_and_others_do_not(client):
    member = make_user()
    person = Person.objects.create(first_name="Ana", last_name="Leaving", user=member)
    url = reverse("network:person", args=[person.pk])
    client.force_login(make_user(Role.NETWORK_ADMIN))
    assert (
        reverse("privacy:delete_account_of", args=[member.pk]) in client.get(url).content.decode()
    )
    client.force_login(make_user())
    assert "/privacy/delete-account/" not in client.get(url).content.decode()


def test_a_deleted_account_s_name_and_address_leave_every_audit_entry_that_named_them(client):
    admin = make_user(Role.NETWORK_ADMIN)
    make_user(Role.NETWORK_ADMIN)  # so that the first may be deleted by request too
    city = make_city()
    user = make_user(first_name="Łucja", last_name="Wójcik", email="lucja@lodz.pl")
    person = Person.objects.create(
        first_name="Łucja", last_name="Wójcik", email="lucja@lodz.pl", user=user
    )
    # Entries about other things that name her: a role given by an administrator, her
    # registration to a meeting.
    accounts.grant_role(user, Role.REPRESENTATIVE, organisation=city, actor=admin)
    meetings.register(make_meeting(), person, actor=admin)
    client.force_login(user)
    client.post(reverse("privacy:delete_account"), {"confirm": "yes"})

    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    granted = AuditEntry.objects.get(action="accounts.role.granted", actor=admin)
    page = client.get(reverse("admin:audit_auditentry_change", args=[granted.pk])).content.decode()
    assert "[erased]" in page
    assert "lucja@lodz.pl" not in page
    log = client.get(reverse("admin:audit_auditentry_changelist")).content.decode()
    assert "Wójcik" not in log
    for entry in AuditEntry.objects.all():
        text = json.dumps([entry.before, entry.after, entry.object_repr], ensure_ascii=False)
        assert "lucja@lodz.pl" not in text
        assert "Wójcik" not in text
