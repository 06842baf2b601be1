"""Matchmaking in the API: the same permissions as the pages."""

import pytest
from rest_framework.test import APIClient

from learning.matching.tests.factories import make_city, make_experience, make_need
from learning.models import NeedVisibility, SuggestionDismissal

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(member_city):
    city = member_city
    answer = make_experience(
        make_city("Soacha", country="CO", region="latin-america"),
        language="es",
        title="Reciclaje de residuos",
        external_ref="urbact:7",
    )
    published = make_need(city, title="Le recyclage des déchets")
    private = make_need(city, title="Le recyclage", visibility=NeedVisibility.PRIVATE)
    return {"answer": answer, "published": published, "private": private}  # fmt: skip


def _persona(request, who):
    """The persona of the cast `who` names, or None for a visitor not signed in."""
    return request.getfixturevalue(who) if who else None


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_anyone_reads_the_suggestions_of_a_published_need(world):
    response = _client().get(f"/api/matching/needs/{world['published'].pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["need"] == world["published"].pk
    (item,) = body["experiences"]
    assert item["ref"] == "urbact:7"
    assert item["title"] == "Reciclaje de residuos"
    assert item["city_name"] == "Soacha"
    assert item["reasons"][0].startswith("The same problem")
    assert body["cities"][0]["experiences"] == [world["answer"].pk]


@pytest.mark.parametrize(
    "who,status",
    [(None, 404), ("outsider", 404), ("other_representative", 404), ("city_officer", 200),
     ("secretariat", 200), ("administrator", 200)],
)  # fmt: skip
def test_a_private_needs_suggestions_follow_its_visibility(world, who, status, request):
    response = _client(_persona(request, who)).get(f"/api/matching/needs/{world['private'].pk}/")
    assert response.status_code == status


@pytest.mark.parametrize(
    "who,status",
    [(None, 401), ("outsider", 403), ("presidency", 403), ("other_representative", 403),
     ("city_officer", 201), ("secretariat", 201), ("administrator", 201)],
)  # fmt: skip
def test_only_those_who_manage_the_need_post_a_dismissal(world, who, status, request):
    response = _client(_persona(request, who)).post(
        f"/api/matching/needs/{world['published'].pk}/dismissals/",
        {"experience": world["answer"].pk, "reason": "too_far", "note": "Far"},
        format="json",
    )
    assert response.status_code == status
    assert SuggestionDismissal.objects.exists() is (status == 201)
    if status == 201:
        assert response.json()["reason"] == "too_far"
        again = _client(request.getfixturevalue(who)).get(
            f"/api/matching/needs/{world['published'].pk}/"
        )
        assert again.json()["experiences"] == []


@pytest.mark.parametrize(
    "data",
    [
        {"reason": "too_far"},
        {"experience": 1, "organisation": 1, "reason": "too_far"},
        {"experience": "ANSWER", "reason": "bored"},
        {"experience": "ANSWER", "reason": "other", "note": "x" * 2001},
    ],
)
def test_a_bad_dismissal_is_a_400_and_saves_nothing(world, data, city_officer):
    data = {k: (world["answer"].pk if v == "ANSWER" else v) for k, v in data.items()}
    response = _client(city_officer).post(
        f"/api/matching/needs/{world['published'].pk}/dismissals/", data, format="json"
    )
    assert response.status_code == 400
    assert not SuggestionDismissal.objects.exists()


def test_a_dismissal_of_an_unknown_experience_is_a_404(world, city_officer):
    response = _client(city_officer).post(
        f"/api/matching/needs/{world['published'].pk}/dismissals/",
        {"experience": 999999, "reason": "other"},
        format="json",
    )
    assert response.status_code == 404


@pytest.mark.parametrize("who,count", [(None, 1), ("city_officer", 2), ("outsider", 1)])
def test_the_needs_an_experience_answers_are_those_the_caller_may_see(world, who, count, request):
    response = _client(_persona(request, who)).get(
        f"/api/matching/experiences/{world['answer'].pk}/"
    )
    assert response.status_code == 200
    needs = response.json()
    assert len(needs) == count
    assert needs[0]["city_name"] == "Saint-Louis"
