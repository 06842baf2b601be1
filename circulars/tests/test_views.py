"""Circular pages by role: allowed and refused, forged POSTs, bad input, query budgets."""

import pytest
from django.urls import reverse

from circulars import delivery, services
from circulars.models import Circular, CircularStatus, SegmentKind, Suppression

from .factories import make_circular, make_meeting, make_person, sending

pytestmark = pytest.mark.django_db


@pytest.fixture
def audience(commission, officer_person, colleague, durban_person):
    """The commission, whose members' people are the city officer and a colleague."""
    return commission


def _planning_circular(commission, **overrides):
    return make_circular(
        commissions=[commission],
        audience=[{"kind": SegmentKind.COMMISSION_MEMBERS, "commission": commission}],
        **overrides,
    )


def _circular_form(commissions, **overrides):
    data = {
        "kind": "announcement",
        "commissions": [c.pk for c in commissions],
        "original_language": "fr",
        "subject_fr": "Appel",
        "body_fr": "Bonjour {{name}}",
        "documents": "",
        "actions": "",
    }
    data.update(overrides)
    return data


# --- who may open what --------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, audience):
    circular = _planning_circular(audience)
    for name in ("circulars:list", "circulars:create"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    assert client.get(reverse("circulars:detail", args=[circular.pk])).status_code == 302


def test_a_plain_user_and_a_representative_cannot_open_the_working_pages(
    client, city_officer, outsider, audience
):
    circular = _planning_circular(audience)
    for user in (outsider, city_officer):
        client.force_login(user)
        assert client.get(reverse("circulars:list")).status_code == 403
        assert client.get(reverse("circulars:create")).status_code == 403
        assert client.get(reverse("circulars:detail", args=[circular.pk])).status_code == 404


def test_another_commissions_secretariat_does_not_see_the_circular(
    client, other_secretariat, audience
):
    circular = _planning_circular(audience)
    client.force_login(other_secretariat)
    assert client.get(reverse("circulars:detail", args=[circular.pk])).status_code == 404
    response = client.post(reverse("circulars:approve", args=[circular.pk]))
    assert response.status_code == 404
    circular.refresh_from_db()
    assert circular.status == CircularStatus.DRAFT


def test_the_presidency_reads_its_commissions_circular_but_cannot_change_it(
    client, presidency, audience
):
    circular = _planning_circular(audience)
    client.force_login(presidency)
    response = client.get(reverse("circulars:detail", args=[circular.pk]))
    assert response.status_code == 200
    assert "Approve</button>" not in response.text
    assert client.get(reverse("circulars:edit", args=[circular.pk])).status_code == 403
    assert client.post(reverse("circulars:approve", args=[circular.pk])).status_code == 403
    assert client.post(reverse("circulars:send", args=[circular.pk])).status_code == 403


def test_a_secretariat_drafts_for_its_commission_but_not_in_the_networks_name(
    client, commission, other_commission, secretariat
):
    client.force_login(secretariat)
    refused = client.post(reverse("circulars:create"), _circular_form([]))
    assert refused.status_code == 200
    assert "only on behalf of your own commissions" in refused.text
    forged = client.post(reverse("circulars:create"), _circular_form([other_commission]))
    assert "only on behalf of your own commissions" in forged.text
    assert not Circular.objects.exists()

    response = client.post(reverse("circulars:create"), _circular_form([commission]))
    circular = Circular.objects.get()
    assert response.status_code == 302
    assert circular.subject_fr == "Appel"
    assert circular.created_by == secretariat


def test_the_network_administrator_drafts_in_the_networks_name(client, administrator):
    client.force_login(administrator)
    client.post(reverse("circulars:create"), _circular_form([]))
    circular = Circular.objects.get()
    assert list(circular.commissions.all()) == []


def test_bad_input_is_shown_in_the_form_and_nothing_is_saved(client, commission, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("circulars:create"),
        _circular_form([commission], body_fr="Bonjour {{prenom}}", subject_es="Solo asunto"),
    )
    assert response.status_code == 200
    assert "{{prenom}}" in response.text
    assert "Write both the subject and the body of the Spanish version" in response.text
    assert not Circular.objects.exists()


def test_a_secretariat_approves_its_own_commissions_circular_but_not_a_joint_one(
    client, commission, digital, secretariat, both, audience
):
    own = _planning_circular(audience)
    joint = make_circular(commissions=[commission, digital])
    client.force_login(secretariat)
    client.post(reverse("circulars:approve", args=[own.pk]))
    assert client.post(reverse("circulars:approve", args=[joint.pk])).status_code == 403
    own.refresh_from_db()
    joint.refresh_from_db()
    assert (own.status, joint.status) == (CircularStatus.APPROVED, CircularStatus.DRAFT)

    client.force_login(both)
    client.post(reverse("circulars:approve", args=[joint.pk]))
    joint.refresh_from_db()
    assert joint.status == CircularStatus.APPROVED


def test_only_administrators_approve_circulars_in_the_networks_name(client, administrator, both):
    circular = make_circular(commissions=[])
    client.force_login(both)
    assert client.get(reverse("circulars:detail", args=[circular.pk])).status_code == 404
    client.force_login(administrator)
    client.post(reverse("circulars:approve", args=[circular.pk]))
    circular.refresh_from_db()
    assert circular.status == CircularStatus.APPROVED


def test_get_is_not_allowed_on_state_changes(client, secretariat, audience):
    circular = _planning_circular(audience)
    client.force_login(secretariat)
    assert client.get(reverse("circulars:approve", args=[circular.pk])).status_code == 405


# --- drafting from a meeting --------------------------------------------------------------


def test_the_meeting_page_offers_its_secretariat_to_draft_a_circular(
    client, commission, secretariat
):
    meeting = make_meeting(commissions=[commission])
    client.force_login(secretariat)
    page = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert reverse("circulars:from_meeting", args=[meeting.pk]) in page.text

    response = client.post(
        reverse("circulars:from_meeting", args=[meeting.pk]), {"original_language": "fr"}
    )
    circular = Circular.objects.get()
    assert response["Location"] == reverse("circulars:detail", args=[circular.pk])
    assert circular.original_language == "fr"
    assert circular.body_fr.startswith("Chers collègues")


def test_others_cannot_draft_from_a_meeting(
    client, other_secretariat, commission, presidency, city_officer
):
    meeting = make_meeting(commissions=[commission])
    for user in (other_secretariat, presidency, city_officer):
        client.force_login(user)
        response = client.post(
            reverse("circulars:from_meeting", args=[meeting.pk]), {"original_language": "fr"}
        )
        assert response.status_code == 403
    assert not Circular.objects.exists()


# --- audience, sending, progress ------------------------------------------------------------


def test_the_audience_page_previews_counts_per_language(
    client, member_city, secretariat, audience, django_assert_max_num_queries
):
    for i in range(30):
        make_person(organisation=member_city, email=f"m{i}@example.org", preferred_language="es")
    circular = _planning_circular(audience)
    client.force_login(secretariat)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("circulars:audience", args=[circular.pk]))
    assert "32 recipients" in response.text
    assert "the original version (en)" in response.text


def test_saving_an_audience_with_an_unknown_address_is_refused(client, secretariat, audience):
    circular = _planning_circular(audience)
    client.force_login(secretariat)
    response = client.post(
        reverse("circulars:audience", args=[circular.pk]),
        {"include-people": "nobody@nowhere.example"},
    )
    assert "nobody@nowhere.example" in response.text
    assert circular.segments.count() == 1  # unchanged


def test_saving_an_audience_replaces_its_segments(client, colleague, secretariat, audience):
    circular = _planning_circular(audience)
    client.force_login(secretariat)
    client.post(
        reverse("circulars:audience", args=[circular.pk]),
        {"include-partners": "on", "exclude-people": colleague.email},
    )
    assert sorted((s.kind, s.exclude) for s in circular.segments.all()) == [
        (SegmentKind.PARTNERS, False),
        (SegmentKind.PEOPLE, True),
    ]


def test_sending_from_the_page_runs_the_worker_and_the_progress_reaches_sent(
    client,
    officer_person,
    colleague,
    secretariat,
    audience,
    settings,
    smtp_server,
    django_capture_on_commit_callbacks,
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    circular = services.approve_circular(_planning_circular(audience), actor=None)
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("circulars:send", args=[circular.pk]))
    assert response.status_code == 302
    assert sorted(m["To"].addresses[0].addr_spec for m in smtp_server) == sorted(
        [officer_person.email, colleague.email]
    )
    progress = client.get(reverse("circulars:progress", args=[circular.pk]))
    assert "2 of 2 recipients done" in progress.text
    assert "hx-trigger" not in progress.text  # polling stops once sent


def test_a_test_send_goes_to_oneself_only(
    client, secretariat, audience, settings, smtp_server, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    circular = _planning_circular(audience)
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("circulars:test", args=[circular.pk]), {"language": "fr"})
    assert len(smtp_server) == 1
    assert smtp_server[0]["To"] == secretariat.email
    assert smtp_server[0]["Subject"] == "[TEST] Résultats de la réunion"
    circular.refresh_from_db()
    assert circular.status == CircularStatus.DRAFT


def test_the_delivery_log_is_for_those_who_send(
    client, colleague, secretariat, presidency, audience, django_assert_max_num_queries
):
    circular = sending(_planning_circular(audience))
    client.force_login(secretariat)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("circulars:deliveries", args=[circular.pk]))
    assert colleague.email.lower() in response.text
    client.force_login(presidency)
    assert client.get(reverse("circulars:deliveries", args=[circular.pk])).status_code == 403


def test_the_list_page_costs_a_fixed_number_of_queries(
    client, secretariat, audience, django_assert_max_num_queries
):
    for _ in range(8):
        _planning_circular(audience)
    client.force_login(secretariat)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("circulars:list"))
    assert response.text.count("Outcome of the meeting") == 8


# --- archive, "My circulars", unsubscribe ---------------------------------------------------


def test_the_archive_shows_sent_circulars_in_each_language_to_everyone(
    client, audience, smtp_server
):
    circular = sending(_planning_circular(audience))
    draft = make_circular(subjects={"en": "Secret draft"}, bodies={"en": "x"})
    delivery.run(circular.pk)

    archive = client.get(reverse("circulars:archive"))
    assert "Outcome of the meeting" in archive.text
    assert "Secret draft" not in archive.text
    french = client.get(reverse("circulars:archive_detail", args=[circular.pk, "fr"]))
    assert "Résultats de la réunion" in french.text
    spanish = client.get(reverse("circulars:archive_detail", args=[circular.pk, "es"]))
    assert "not available in your language" in spanish.text
    assert client.get(reverse("circulars:archive_circular", args=[draft.pk])).status_code == 404


def test_a_person_sees_the_circulars_sent_to_them(
    client, city_officer, outsider, audience, smtp_server
):
    circular = sending(_planning_circular(audience))
    delivery.run(circular.pk)
    client.force_login(city_officer)
    assert "Outcome of the meeting" in client.get(reverse("circulars:mine")).text
    client.force_login(outsider)
    assert "Outcome of the meeting" not in client.get(reverse("circulars:mine")).text


def test_the_unsubscribe_link_asks_then_unsubscribes(client, db):
    url = reverse("circulars:unsubscribe", args=[delivery.unsubscribe_token("a@example.org", 0)])
    page = client.get(url)
    assert "Stop sending circulars to a@example.org?" in page.text
    assert not Suppression.objects.exists()
    client.post(url)
    assert Suppression.objects.get().email == "a@example.org"


def test_one_click_unsubscribe_works_without_a_session_or_csrf_token(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    url = reverse("circulars:unsubscribe", args=[delivery.unsubscribe_token("b@example.org", 0)])
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Suppression.objects.filter(email="b@example.org", reason="unsubscribed").exists()


def test_a_tampered_unsubscribe_link_is_refused(client, db):
    token = delivery.unsubscribe_token("c@example.org", 0)
    signature = token.rsplit(".", 1)[1]
    forged = delivery.unsubscribe_token("victim@example.org", 0).rsplit(".", 1)[0] + "." + signature
    response = client.post(reverse("circulars:unsubscribe", args=[forged]))
    assert response.status_code == 400
    assert "not valid" in response.text
    assert not Suppression.objects.exists()


def test_administrators_record_bounces_and_others_cannot(client, administrator, secretariat):
    client.force_login(secretariat)
    assert client.get(reverse("circulars:suppressions")).status_code == 403
    client.force_login(administrator)
    bad = client.post(reverse("circulars:suppressions"), {"emails": "not-an-address"})
    assert "Not an e-mail address" in bad.text
    client.post(reverse("circulars:suppressions"), {"emails": "X@example.org\ny@example.org"})
    assert set(Suppression.objects.values_list("email", flat=True)) == {
        "x@example.org",
        "y@example.org",
    }


def test_pages_speak_french(client, secretariat, audience):
    circular = _planning_circular(audience)
    secretariat.preferred_language = "fr"
    secretariat.save()
    client.force_login(secretariat)
    client.cookies["entrevilles_language"] = "fr"
    response = client.get(reverse("circulars:detail", args=[circular.pk]))
    assert "Étape suivante" in response.text


@pytest.mark.parametrize(
    ("persona", "may_open"),
    [
        ("administrator", True),
        ("secretariat", True),
        ("presidency", True),
        ("city_officer", False),
        ("outsider", False),
    ],
)
def test_the_archive_links_to_drafts_and_sending_only_for_those_who_may_open_them(
    client, request, persona, may_open
):
    client.force_login(request.getfixturevalue(persona))
    archive = client.get(reverse("circulars:archive")).content.decode()
    assert ("Drafts and sending" in archive) is may_open
    assert (f'href="{reverse("circulars:list")}"' in archive) is may_open
    status = client.get(reverse("circulars:list")).status_code
    assert status == (200 if may_open else 403)
