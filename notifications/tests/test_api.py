"""The API: my follows, my notifications, my preferences; nobody else's."""

import pytest
from rest_framework.test import APIClient

from learning.models import NeedVisibility
from learning.needs.tests.factories import make_need
from library.tests.factories import make_experience
from notifications.models import Follow, Notification, Preference, TargetType

from .factories import follows, make_city, make_theme, make_user, run_worker

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_person_follows_lists_and_unfollows_through_the_api():
    theme = make_theme("housing")
    user = make_user()
    api = api_for(user)
    created = api.post("/api/my/follows/", {"target_type": "theme", "target_id": theme.pk})
    assert created.status_code == 201
    listed = api.get("/api/my/follows/").json()["results"]
    assert [(f["target_type"], f["target_id"]) for f in listed] == [("theme", theme.pk)]
    assert api.delete(f"/api/my/follows/{listed[0]['id']}/").status_code == 204
    assert not Follow.objects.filter(active=True).exists()


def test_following_something_hidden_is_refused_and_others_follows_are_not_reachable():
    need = make_need(make_city(), visibility=NeedVisibility.PRIVATE)
    api = api_for(make_user())
    refused = api.post("/api/my/follows/", {"target_type": "need", "target_id": need.pk})
    assert refused.status_code == 400
    other = follows(make_user(), TargetType.THEME, make_theme().pk)
    assert api.delete(f"/api/my/follows/{other.pk}/").status_code == 404
    assert Follow.objects.filter(pk=other.pk).exists()


def test_notifications_are_listed_and_marked_read_for_their_owner_only():
    theme = make_theme("housing")
    user, other = make_user(), make_user()
    follows(user, TargetType.THEME, theme.pk)
    follows(other, TargetType.THEME, theme.pk)
    make_experience(themes=[theme], title="Slum upgrading")
    run_worker()
    api = api_for(user)
    [row] = api.get("/api/my/notifications/?unread=1").json()["results"]
    assert row["text"] == "New experience: Slum upgrading"
    assert api.post("/api/my/notifications/mark-read/", {}, format="json").json() == {"marked": 1}
    assert Notification.objects.get(user=other).read_at is None
    assert APIClient().get("/api/my/notifications/").status_code in (401, 403)


def test_preferences_are_read_and_changed_through_the_api():
    user = make_user()
    api = api_for(user)
    assert api.get("/api/my/notification-preferences/").json()["action.updated"] == "daily"
    changed = api.patch(
        "/api/my/notification-preferences/set/", {"action.updated": "never"}, format="json"
    )
    assert changed.json()["action.updated"] == "never"
    assert Preference.objects.get(user=user).frequency == "never"
    bad = api.patch("/api/my/notification-preferences/set/", {"x": "never"}, format="json")
    assert bad.status_code == 400
