"""Inviting chosen organisations and people: the service, the e-mails in each reader's
language, the page with its search pickers, the API, and who may do it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEntry
from conftest import message_text
from meetings import mail, permissions, services
from meetings.models import Invitation

from .factories import grant, make_meeting, make_organisation, make_person, make_user

pytestmark = pytest.mark.django_db


def test_organisations_and_people_are_invited_once_each(
    commission, durban, colleague, secretariat, member_city
):
    meeting = make_meeting(commissions=[commission])
    first = services.invite(meeting, organisations=[durban], people=[colleague], actor=secretariat)
    again = services.invite(
        meeting,
        organisations=[durban, member_city],
        people=[colleague],
        actor=secretariat,
    )
    assert len(first) == 2 and [i.organisation for i in again] == [member_city]
    person_invitation = meeting.invitations.get(person=colleague)
    assert person_invitation.organisation == member_city
    assert person_invitation.invited_by == secretariat
    assert AuditEntry.objects.filter(action="meetings.meeting.invited").count() == 2


def test_a_person_of_no_organisation_cannot_be_invited(commission, durban):
    meeting = make_meeting(commissions=[commission])
    loner = make_person(first_name="Lone", last_name="Wolf", organisation=None)
    with pytest.raises(ValidationError, match="Lone Wolf"):
        services.invite(meeting, organisations=[durban], people=[loner], actor=None)
    assert not Invitation.objects.exists()


def test_each_reader_gets_the_invitation_in_their_language(
    commission,
    durban,
    secretariat,
    smtp_server,
    tasks_run_on_enqueue,
    django_capture_on_commit_callbacks,
):
    meeting = make_meeting(commissions=[commission], title="Rabat joint meeting")
    meeting.title_fr = "Réunion conjointe de Rabat"
    meeting.title_es = "Reunión conjunta de Rabat"
    meeting.save()
    amelie = make_person(
        first_name="Amélie", last_name="Durand", preferred_language="fr", email="amelie@ex.org"
    )
    # Durban is reached through its representative, who reads Spanish.
    grant(
        make_user(email="rep@durban.example.org", preferred_language="es"),
        Role.REPRESENTATIVE,
        organisation=durban,
    )
    # Bilbao has no representative: its general address, in its first working language.
    bilbao = make_organisation(name="Bilbao", email="info@bilbao.example.org")
    bilbao.working_languages = ["es", "en"]
    bilbao.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.invite(meeting, organisations=[durban, bilbao], people=[amelie], actor=secretariat)
    received = {message["To"]: message for message in smtp_server}
    assert set(received) == {"amelie@ex.org", "rep@durban.example.org", "info@bilbao.example.org"}
    assert received["amelie@ex.org"]["Subject"] == "Invitation\u00a0: Réunion conjointe de Rabat"
    assert "Inscrivez-vous" in message_text(received["amelie@ex.org"])
    assert received["rep@durban.example.org"]["Subject"] == "Invitación: Reunión conjunta de Rabat"
    assert "Durban" in message_text(received["rep@durban.example.org"])
    assert "Inscríbase" in message_text(received["info@bilbao.example.org"])
    assert not Invitation.objects.filter(emailed_at=None).exists()


def test_an_invitation_is_never_sent_twice(commission, colleague, smtp_server):
    meeting = make_meeting(commissions=[commission])
    new = services.invite(meeting, people=[colleague], actor=None)
    ids = [invitation.pk for invitation in new]
    assert mail.send_invitations(ids) == 1
    assert mail.send_invitations(ids) == 0
    assert len(smtp_server) == 1


def test_only_the_meetings_secretariats_and_admins_may_invite(
    commission,
    digital,
    administrator,
    secretariat,
    other_secretariat,
    presidency,
    city_officer,
    outsider,
):
    meeting = make_meeting(commissions=[commission, digital])
    assert permissions.can_invite_to_meeting(administrator, meeting)
    assert permissions.can_invite_to_meeting(secretariat, meeting)
    for user in (
        other_secretariat,
        presidency,
        city_officer,
        outsider,
        AnonymousUser(),
    ):
        assert not permissions.can_invite_to_meeting(user, meeting)


def test_the_invite_page_is_refused_to_every_other_role(
    client,
    commission,
    administrator,
    secretariat,
    other_secretariat,
    presidency,
    city_officer,
    outsider,
    durban,
):
    meeting = make_meeting(commissions=[commission])
    url = reverse("meetings:invite", args=[meeting.pk])
    for user, allowed in (
        (administrator, True),
        (secretariat, True),
        (other_secretariat, False),
        (presidency, False),
        (city_officer, False),
        (outsider, False),
    ):
        client.force_login(user)
        assert client.get(url).status_code == (200 if allowed else 403), user
        forged = client.post(url, {"organisations": [durban.pk]})
        assert forged.status_code == (302 if allowed else 403), user
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    assert client.post(url, {"organisations": [durban.pk]}).status_code == 302
    assert list(meeting.invitations.values_list("organisation__name", flat=True)) == ["Durban"]


def test_the_secretariat_finds_and_invites_then_sees_them_on_the_management_page(
    client,
    commission,
    secretariat,
    member_city,
    durban,
    colleague,
    officer_person,
    django_assert_max_num_queries,
):
    meeting = make_meeting(commissions=[commission])
    make_organisation(name="Durbanville")
    client.force_login(secretariat)
    with django_assert_max_num_queries(8):
        found = client.get(
            reverse("meetings:picker", args=["organisations"]),
            {
                "field": "organisations",
                "organisations-q": "durb",
                "organisations": [member_city.pk],
            },
            headers={"HX-Request": "true"},
        )
    text = found.content.decode()
    # What was ticked stays ticked, then the matches.
    assert text.index("Rabat") < text.index("Durban") < text.index("Durbanville")
    assert f'value="{member_city.pk}" checked' in text
    people = client.get(
        reverse("meetings:picker", args=["people"]), {"field": "people", "people-q": "karim col"}
    )
    assert "Karim Colleague" in people.content.decode()
    assert "Amina" not in people.content.decode()

    response = client.post(
        reverse("meetings:invite", args=[meeting.pk]),
        {"organisations": [durban.pk], "people": [colleague.pk]},
        follow=True,
    )
    page = response.content.decode()
    # Karim has an address; Durban has none, nor any representative: it is not e-mailed.
    assert "1 invitation sent by e-mail." in page
    assert "No e-mail could be sent to Durban: there is no e-mail address" in page
    assert "Karim Colleague" in page and "Waiting to be sent" in page
    assert "Not sent: no e-mail address" in page


def test_the_invite_page_searches_without_javascript(
    client, commission, secretariat, durban_person
):
    meeting = make_meeting(commissions=[commission])
    client.force_login(secretariat)
    response = client.get(reverse("meetings:invite", args=[meeting.pk]), {"people-q": "thandi"})
    assert "Thandi Durbanite" in response.content.decode()


def test_bad_invitations_are_refused_with_a_clear_message(client, commission, secretariat):
    meeting = make_meeting(commissions=[commission])
    client.force_login(secretariat)
    url = reverse("meetings:invite", args=[meeting.pk])
    assert client.post(url, {"organisations": [999999]}).status_code == 400
    empty = client.post(url, {}, follow=True)
    assert "Tick the organisations or people to invite." in empty.content.decode()
    assert client.get(reverse("meetings:picker", args=["secrets"])).status_code == 404
    bad_field = client.get(reverse("meetings:picker", args=["people"]), {"field": "x<script>"})
    assert bad_field.status_code == 400
    assert not Invitation.objects.exists()


def test_the_api_invites_for_the_secretariat_only(
    client,
    commission,
    durban,
    colleague,
    other_secretariat,
    presidency,
    city_officer,
    outsider,
    secretariat,
    member_city,
):
    meeting = make_meeting(commissions=[commission])
    url = f"/api/meetings/{meeting.pk}/invitations/"
    body = {"organisations": [durban.pk], "people": [colleague.pk]}
    assert client.post(url, body, content_type="application/json").status_code in (401, 403)
    for user in (other_secretariat, presidency, city_officer, outsider):
        client.force_login(user)
        assert client.post(url, body, content_type="application/json").status_code == 403
        assert client.get(url).status_code == 403
    client.force_login(secretariat)
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201 and len(created.json()) == 2
    listed = client.get(url).json()
    assert {row["organisation"] for row in listed["results"]} == {durban.pk, member_city.pk}
    unknown = client.post(url, {"people": [999999]}, content_type="application/json")
    assert unknown.status_code == 400
    assert meeting.invitations.count() == 2


def test_the_management_page_lists_invitations_in_a_bounded_number_of_queries(
    client, commission, secretariat, django_assert_max_num_queries
):
    meeting = make_meeting(commissions=[commission])
    services.invite(
        meeting,
        organisations=[make_organisation(email=f"info{n}@example.org") for n in range(10)],
        people=[make_person() for _ in range(10)],
        actor=None,
    )
    client.force_login(secretariat)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("meetings:manage", args=[meeting.pk]))
    assert page.content.decode().count("Waiting to be sent") == 20


def test_an_invitation_nobody_can_receive_is_recorded_as_not_mailed(
    commission,
    member_city,
    secretariat,
    smtp_server,
    tasks_run_on_enqueue,
    django_capture_on_commit_callbacks,
):
    meeting = make_meeting(commissions=[commission])
    silent = make_organisation(name="Silent Town", email="")
    # A representative who left (an inactive account) is not written to.
    grant(make_user(is_active=False), Role.REPRESENTATIVE, organisation=silent)
    nameless = make_person(first_name="No", last_name="Mail", email="", organisation=member_city)
    reachable = make_organisation(name="Reachable Town", email="info@reachable.example.org")
    with django_capture_on_commit_callbacks(execute=True):
        new = services.invite(
            meeting, organisations=[silent, reachable], people=[nameless], actor=secretariat
        )
    assert [message["To"] for message in smtp_server] == ["info@reachable.example.org"]
    assert {i.organisation.name: i.no_address for i in new if not i.person_id} == {
        "Silent Town": True,
        "Reachable Town": False,
    }
    not_mailed = Invitation.objects.filter(no_address=True, emailed_at=None)
    assert {(i.organisation.name, i.person_id) for i in not_mailed} == {
        ("Silent Town", None),
        ("Rabat", nameless.pk),
    }
    # Sending again later changes nothing: still not mailed.
    assert mail.send_invitations([i.pk for i in new]) == 0
    assert Invitation.objects.filter(no_address=True, emailed_at=None).count() == 2


def test_the_inviter_is_told_on_the_page_in_their_language(client, commission, secretariat):
    meeting = make_meeting(commissions=[commission])
    silent = make_organisation(name="Silent Town", email="")
    secretariat.preferred_language = "fr"
    secretariat.save()
    client.force_login(secretariat)
    response = client.post(
        reverse("meetings:invite", args=[meeting.pk]),
        {"organisations": [silent.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "Aucun e-mail n&#x27;a pu être envoyé à Silent Town" in page
    assert "Non envoyée\u00a0: pas d'adresse e-mail" in page
    secretariat.preferred_language = "es"
    secretariat.save()
    page = client.get(reverse("meetings:manage", args=[meeting.pk])).content.decode()
    assert "No enviada: sin dirección de correo" in page


def test_the_api_says_which_invitations_could_not_be_mailed(client, commission, secretariat):
    meeting = make_meeting(commissions=[commission])
    silent = make_organisation(name="Silent Town", email="")
    reachable = make_organisation(name="Reachable Town", email="info@reachable.example.org")
    client.force_login(secretariat)
    url = f"/api/meetings/{meeting.pk}/invitations/"
    created = client.post(
        url, {"organisations": [silent.pk, reachable.pk]}, content_type="application/json"
    )
    assert created.status_code == 201
    rows = {row["organisation"]: row for row in created.json()}
    assert rows[silent.pk]["no_address"] is True
    assert rows[silent.pk]["warning"].startswith("No e-mail could be sent to Silent Town")
    assert rows[reachable.pk]["no_address"] is False and rows[reachable.pk]["warning"] == ""
    listed = client.get(url, headers={"Accept-Language": "es"}).json()["results"]
    assert [row["no_address"] for row in listed if row["organisation"] == silent.pk] == [True]
