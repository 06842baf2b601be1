"""The header's count of unread notifications, kept for each person between requests."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from library.tests.factories import make_experience
from notifications import services
from notifications.models import Notification, TargetType

from .factories import follows, make_theme, make_user, run_worker

pytestmark = pytest.mark.django_db


def badge(client) -> int:
    home = client.get(reverse("home")).content.decode()
    found = re.search(r'<span class="badge">(\d+)</span>', home)
    return int(found.group(1)) if found else 0


def test_a_new_notification_shows_in_the_count_at_the_next_request(client):
    housing = make_theme("housing")
    user = make_user()
    follows(user, TargetType.THEME, housing.pk)
    make_experience(themes=[housing], title="Rainwater harvesting")
    run_worker()
    client.force_login(user)
    assert badge(client) == 1
    assert badge(client) == 1
    make_experience(themes=[housing], title="Street lighting")
    run_worker()  # delivered in bulk, without signals
    assert badge(client) == 2


def test_a_notification_read_leaves_the_count_at_the_next_request(client):
    housing = make_theme("housing")
    user = make_user()
    follows(user, TargetType.THEME, housing.pk)
    make_experience(themes=[housing], title="Rainwater harvesting")
    make_experience(themes=[housing], title="Street lighting")
    run_worker()
    client.force_login(user)
    assert badge(client) == 2
    first, _second = Notification.objects.filter(user=user).order_by("pk")
    services.mark_read(actor=user, ids=[first.pk])
    assert badge(client) == 1
    client.get(reverse("notifications:list"))  # marks the page read
    assert badge(client) == 0


def test_each_person_sees_their_own_count(client):
    housing, water = make_theme("housing"), make_theme("water")
    reader, other = make_user(), make_user()
    follows(reader, TargetType.THEME, housing.pk)
    follows(other, TargetType.THEME, water.pk)
    make_experience(themes=[housing], title="Rainwater harvesting")
    make_experience(themes=[water], title="Wells")
    make_experience(themes=[water], title="Pipes")
    run_worker()
    client.force_login(reader)
    assert badge(client) == 1
    client.force_login(other)
    assert badge(client) == 2


def test_a_repeated_page_counts_nothing(client):
    user = make_user()
    client.force_login(user)
    badge(client)
    with CaptureQueriesContext(connection) as queries:
        assert badge(client) == 0
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert "notifications_notification" not in read
