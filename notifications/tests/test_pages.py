"""The Follow button, the page of what I follow, the list with its count, preferences."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning.models import NeedVisibility
from learning.needs.tests.factories import make_need
from library.tests.factories import make_experience
from notifications.models import Follow, Frequency, Preference, TargetType

from .factories import follows, make_city, make_commission, make_theme, make_user, run_worker

pytestmark = pytest.mark.django_db


def test_a_member_follows_a_commission_from_its_page_in_one_click(client):
    commission = make_commission()
    user = make_user()
    client.force_login(user)
    page = client.get(reverse("commissions:detail", args=[commission.slug]))
    assert 'hx-post="/notifications/follow/"' in page.content.decode()

    response = client.post(
        reverse("notifications:follow"),
        {"target_type": "commission", "target_id": commission.pk, "follow": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Following" in response.content.decode()
    listing = client.get(reverse("notifications:following")).content.decode()
    assert commission.name in listing

    client.post(
        reverse("notifications:follow"),
        {"target_type": "commission", "target_id": commission.pk, "follow": "0"},
    )
    assert not Follow.objects.filter(user=user, active=True).exists()


def test_following_a_need_one_may_not_see_is_refused_and_reveals_nothing(client):
    need = make_need(make_city(), visibility=NeedVisibility.PRIVATE, title="Secret plan")
    client.force_login(make_user())
    response = client.post(
        reverse("notifications:follow"),
        {"target_type": "need", "target_id": need.pk, "follow": "1"},
        follow=True,
    )
    assert "There is nothing to follow here." in response.content.decode()
    assert not Follow.objects.exists()


def test_visitors_see_no_follow_button(client):
    commission = make_commission()
    page = client.get(reverse("commissions:detail", args=[commission.slug]))
    assert "/notifications/follow/" not in page.content.decode()


def test_the_header_counts_unread_notifications_once_and_the_list_marks_them_read(client):
    housing = make_theme("housing")
    user = make_user()
    follows(user, TargetType.THEME, housing.pk)
    make_experience(themes=[housing], title="Rainwater harvesting")
    make_experience(themes=[housing], title="Street lighting")
    run_worker()
    client.force_login(user)

    def counting() -> list:
        with CaptureQueriesContext(connection) as queries:
            home = client.get(reverse("home")).content.decode()
        assert '<span class="badge">2</span>' in home
        return [q for q in queries.captured_queries if "notifications_notification" in q["sql"]]

    assert len(counting()) <= 2  # the last delivery, the count
    assert counting() == []  # kept until the person's notifications change

    listing = client.get(reverse("notifications:list")).content.decode()
    assert "New experience: Rainwater harvesting" in listing
    assert "New experience: Street lighting" in listing
    home = client.get(reverse("home")).content.decode()
    assert 'class="badge"' not in home


def test_preferences_are_saved_per_kind_with_the_daily_digest_as_default(client):
    user = make_user()
    client.force_login(user)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'value="daily" selected' in page
    client.post(
        reverse("notifications:preferences"),
        _all_daily_but("experience.published", Frequency.WEEKLY),
    )
    assert Preference.objects.get(user=user, kind="experience.published").frequency == "weekly"


def _all_daily_but(kind: str, frequency: str) -> dict:
    from notifications.models import EventKind

    choices = {k: Frequency.DAILY for k in EventKind.values}
    choices[kind] = frequency
    return choices
