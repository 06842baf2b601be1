"""Monitoring reports: filed by a party, due and late, commented by the secretariat."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from conftest import message_text
from learning.models import MonitoringReport
from learning.partnerships import services
from learning.partnerships.tests.factories import World, make_criterion, make_indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = World()
    world.criteria = [make_criterion(name_en="Ownership"), make_criterion(name_en="Results")]
    world.indicator = make_indicator(name_en="Officers trained")
    return world


def _started(world, days_ago=200, **overrides):
    return world.active(
        starts_on=timezone.localdate() - datetime.timedelta(days=days_ago), **overrides
    )


def _file(world, partnership, period_start, scores=(3, 4), actor=None, **overrides):
    values = {
        "organisation": world.learner,
        "period_start": period_start,
        "progress": "The vision was agreed.",
        "scores": {c.pk: s for c, s in zip(world.criteria, scores, strict=True)},
        "indicator_values": {world.indicator.pk: "12"},
        "actor": actor or world.lucia,
    }
    values.update(overrides)
    return services.file_report(partnership, **values)


def test_a_party_files_a_report_through_the_page(client, world):
    partnership = _started(world)
    first = partnership.starts_on
    client.force_login(world.lucia)
    url = reverse("learning:report_new", args=[partnership.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "period": first.isoformat(),
            "organisation": world.learner.pk,
            "progress": "Two neighbourhoods chosen.",
            f"score_{world.criteria[0].pk}": 4,
            f"score_{world.criteria[1].pk}": 2,
            f"indicator_{world.indicator.pk}": "7",
        },
    )
    assert response.status_code == 302
    report = MonitoringReport.objects.get()
    assert report.organisation == world.learner
    assert sorted(report.scores.values_list("score", flat=True)) == [2, 4]
    assert report.indicator_values.get().value == 7
    partnership.refresh_from_db()
    assert partnership.next_report_due_on > report.period_end


def test_a_score_outside_1_to_5_is_refused_in_the_readers_language(client, world):
    partnership = _started(world)
    client.force_login(world.lucia)
    response = client.post(
        reverse("learning:report_new", args=[partnership.pk]),
        {
            "period": partnership.starts_on.isoformat(),
            "organisation": world.learner.pk,
            "progress": "Progress.",
            f"score_{world.criteria[0].pk}": 7,
            f"score_{world.criteria[1].pk}": 2,
        },
    )
    assert response.status_code == 400
    assert "Una puntuación es un número entero del 1 al 5." in response.content.decode()
    assert MonitoringReport.objects.count() == 0


def test_a_score_outside_1_to_5_is_refused_by_the_service_too(world):
    partnership = _started(world)
    with pytest.raises(ValidationError):
        _file(world, partnership, partnership.starts_on, scores=(0, 6))
    assert MonitoringReport.objects.count() == 0


def test_a_period_already_reported_is_refused(world):
    partnership = _started(world)
    _file(world, partnership, partnership.starts_on)
    with pytest.raises(ValidationError) as error:
        _file(
            world, partnership, partnership.starts_on, actor=world.mandla, organisation=world.mentor
        )
    assert "period" in error.value.error_dict
    assert MonitoringReport.objects.count() == 1


def test_a_period_that_is_not_one_of_the_partnership_is_refused(world):
    partnership = _started(world)
    with pytest.raises(ValidationError):
        _file(world, partnership, partnership.starts_on + datetime.timedelta(days=3))


def test_a_report_on_a_closed_partnership_is_refused(client, world):
    partnership = _started(world)
    services.change_partnership_status(partnership, "closed_early", actor=world.sofia)
    with pytest.raises(ValidationError):
        _file(world, partnership, partnership.starts_on)
    client.force_login(world.lucia)
    assert client.get(reverse("learning:report_new", args=[partnership.pk])).status_code == 403


@pytest.mark.parametrize("persona", ["olga", "sofia", "pierre", "ursula", "other_secretariat"])
def test_only_parties_file_reports(client, world, persona):
    partnership = _started(world)
    client.force_login(getattr(world, persona))
    response = client.post(
        reverse("learning:report_new", args=[partnership.pk]),
        {
            "period": partnership.starts_on.isoformat(),
            "organisation": world.learner.pk,
            "progress": "x",
        },
    )
    assert response.status_code == 403
    assert MonitoringReport.objects.count() == 0


def test_a_party_cannot_report_in_the_name_of_another_party(client, world):
    partnership = _started(world)
    client.force_login(world.lucia)
    response = client.post(
        reverse("learning:report_new", args=[partnership.pk]),
        {
            "period": partnership.starts_on.isoformat(),
            "organisation": world.mentor.pk,
            "progress": "Forged",
            f"score_{world.criteria[0].pk}": 3,
            f"score_{world.criteria[1].pk}": 3,
        },
    )
    assert response.status_code == 400
    assert MonitoringReport.objects.count() == 0


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("sofia", 200),
        ("pierre", 200),
        ("lucia", 200),
        ("nadia", 200),
        ("olga", 404),
        ("ursula", 404),
    ],
)
def test_reports_are_read_by_the_partnership_and_its_commission(client, world, persona, status):
    partnership = _started(world)
    report = _file(world, partnership, partnership.starts_on)
    client.force_login(getattr(world, persona))
    response = client.get(reverse("learning:report", args=[partnership.pk, report.pk]))
    assert response.status_code == status


def test_the_secretariat_asks_for_more_and_the_party_is_told_in_its_language(
    client, world, smtp_server, django_capture_on_commit_callbacks, tasks_run_on_enqueue
):
    partnership = _started(world)
    report = _file(world, partnership, partnership.starts_on)
    client.force_login(world.sofia)
    url = reverse("learning:report", args=[partnership.pk, report.pk])
    with_comment = {"action": "comment", "comment": "Add the budget figures.", "ask_for_more": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, with_comment)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "more_requested"
    assert [m["To"] for m in smtp_server] == [world.lucia.email]
    assert "La secretaría pide más información" in message_text(smtp_server[0])
    # The party completes its report; it goes back to the secretariat.
    client.force_login(world.lucia)
    response = client.post(
        url,
        {
            "action": "revise",
            "progress": "Budget: 2 million.",
            f"score_{world.criteria[0].pk}": 4,
            f"score_{world.criteria[1].pk}": 4,
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.progress) == ("submitted", "Budget: 2 million.")


def test_a_party_cannot_comment_its_own_report(client, world):
    partnership = _started(world)
    report = _file(world, partnership, partnership.starts_on)
    client.force_login(world.lucia)
    response = client.post(
        reverse("learning:report", args=[partnership.pk, report.pk]),
        {"action": "comment", "comment": "All good", "ask_for_more": ""},
    )
    assert response.status_code == 403


def _panel(user, **context):
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("learning/_monitoring_panel.html", {"request": request, **context})


def test_the_monitoring_panel_shows_late_reports_and_the_trend(
    world, django_assert_max_num_queries
):
    late = _started(world, days_ago=250, title="Late partnership")
    _file(world, late, late.starts_on, scores=(2, 3))
    on_time = _started(world, days_ago=80, title="On time partnership")
    _file(world, on_time, on_time.starts_on, scores=(4, 5))
    with django_assert_max_num_queries(8):
        html = _panel(world.sofia, commission=world.commission)
    late_part, _, due_part = html.partition("report due")
    assert "1 report late" in html
    assert "Late partnership" in late_part
    assert "On time partnership" not in late_part
    assert "Ownership" in html and "<svg" in html


def test_the_monitoring_panel_shows_nothing_of_other_commissions(world):
    late = _started(world, days_ago=250, title="Late partnership")
    assert "Late partnership" in _panel(world.nadia)
    assert "Late partnership" not in _panel(world.other_secretariat)
    assert _panel(world.ursula).count("report") < 3
    assert "Late partnership" not in _panel(world.ursula)
    assert late.pk
