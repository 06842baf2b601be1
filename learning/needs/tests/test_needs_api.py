"""The API of learning needs, the agenda and its priorities, under the pages' rules."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from learning.models import AgendaPriority, LearningNeed, NeedStatus, NeedVisibility
from learning.needs import services
from learning.needs.tests.factories import make_need, make_theme
from network.tests.factories import make_network_admin

pytestmark = pytest.mark.django_db

NEEDS = "/api/learning-needs/"


def _client(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _new_need(organisation, **overrides):
    data = {
        "city": organisation.pk,
        "original_language": "es",
        "title": "Ordenar el crecimiento periurbano",
        "problem": "La ciudad crece sin servicios.",
        "themes": ["strategic-planning"],
        "learning_modes": ["mentoring"],
        "working_languages": ["es"],
        "urgency": "high",
    }
    data.update(overrides)
    return data


def test_anonymous_callers_list_published_needs_only(member_city):
    make_need(member_city, title="Published")
    make_need(member_city, title="Private", visibility=NeedVisibility.PRIVATE)
    response = _client().get(NEEDS)
    assert response.status_code == 200
    assert [row["title_en"] for row in response.json()["results"]] == ["Published"]


def test_the_list_filters_like_the_page_and_refuses_unknown_values(member_city):
    make_need(member_city, title="Open one")
    make_need(member_city, title="Met one", status=NeedStatus.MET)
    response = _client().get(NEEDS, {"status": "met"})
    assert [row["title_en"] for row in response.json()["results"]] == ["Met one"]
    assert _client().get(NEEDS, {"status": "solved"}).status_code == 400


def test_an_officer_states_a_need_for_the_city(city_officer, member_city):
    make_theme("strategic-planning")
    response = _client(city_officer).post(NEEDS, _new_need(member_city), format="json")
    assert response.status_code == 201, response.json()
    need = LearningNeed.objects.get()
    assert need.title_es == "Ordenar el crecimiento periurbano"
    assert response.json()["history"][0]["new_status"] == "open"


@pytest.mark.parametrize(
    ("who", "status"),
    [("other_representative", 403), ("presidency", 403), ("outsider", 403), (None, 401)],
)
def test_others_cannot_state_a_need_for_rabat(who, status, member_city, request):
    user = request.getfixturevalue(who) if who else None
    response = _client(user).post(NEEDS, _new_need(member_city, themes=[]), format="json")
    assert response.status_code in (status, 403)
    assert not LearningNeed.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"problem": "x" * 50_000},
        {"title": ""},
        {"original_language": "de"},
        {"learning_modes": ["telepathy"]},
        {"city": 999_999},
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(
    overrides, city_officer, member_city
):
    response = _client(city_officer).post(
        NEEDS, _new_need(member_city, themes=[], **overrides), format="json"
    )
    assert response.status_code == 400
    assert response.json()
    assert not LearningNeed.objects.exists()


def test_the_city_changes_the_status_and_adds_a_translation(member_city, city_officer):
    need = make_need(member_city, language="fr", title="Gérer les déchets")
    client = _client(city_officer)
    response = client.post(f"{NEEDS}{need.pk}/status/", {"status": "matched", "note": "Bilbao"})
    assert response.status_code == 200
    assert [h["new_status"] for h in response.json()["history"]] == ["open", "matched"]
    response = client.patch(
        f"{NEEDS}{need.pk}/",
        {"language": "en", "title": "Managing waste", "problem": "Collection fails."},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["title_en"] == "Managing waste"
    assert response.json()["original_language"] == "fr"


def test_others_cannot_change_a_need_and_private_needs_are_not_found(
    member_city, other_representative
):
    need = make_need(member_city)
    private = make_need(member_city, visibility=NeedVisibility.PRIVATE)
    client = _client(other_representative)
    assert client.post(f"{NEEDS}{need.pk}/status/", {"status": "met"}).status_code == 403
    assert client.patch(f"{NEEDS}{need.pk}/", {"title": "X"}, format="json").status_code == 403
    assert client.get(f"{NEEDS}{private.pk}/").status_code == 404
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN


def test_the_agenda_figures_are_read_by_anyone(member_city, secretariat):
    theme = make_theme("digital-cities")
    make_need(member_city, themes=[theme])
    make_need(member_city, themes=[theme], visibility=NeedVisibility.PRIVATE)
    public = _client().get("/api/learning-agenda/").json()
    assert public["demand"] == 1
    assert public["includes_private_needs"] is False
    assert {"key": "digital-cities", "demand": 1}.items() <= next(
        line for line in public["themes"] if line["key"] == "digital-cities"
    ).items()
    assert _client(secretariat).get("/api/learning-agenda/").json()["demand"] == 2
    assert _client().get("/api/learning-agenda/", {"period": "decade"}).status_code == 400


def test_priorities_are_adopted_by_the_secretariat_only(
    member_city, commission, presidency, secretariat
):
    need = make_need(member_city)
    data = {
        "commission": commission.slug,
        "original_language": "en",
        "title": "Planning",
        "needs": [need.pk],
    }
    assert (
        _client(presidency).post("/api/agenda-priorities/", data, format="json").status_code == 403
    )
    response = _client(secretariat).post("/api/agenda-priorities/", data, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["needs"][0]["city_name"] == "Rabat"
    priority = AgendaPriority.objects.get()
    response = _client(secretariat).patch(
        f"/api/agenda-priorities/{priority.pk}/",
        {"language": "fr", "title": "Planification"},
        format="json",
    )
    assert response.json()["title_fr"] == "Planification"
    listed = _client().get("/api/agenda-priorities/", {"commission": commission.slug}).json()
    assert listed["results"][0]["need_count"] == 1


def test_a_priority_citing_a_need_the_caller_cannot_read_is_refused(member_city):
    from commissions.tests.factories import make_commission
    from network.tests.factories import make_secretariat_user

    other_commission = make_commission()
    outsider = make_secretariat_user(other_commission)
    private = make_need(member_city, visibility=NeedVisibility.PRIVATE)
    # Secretariats read every need; a forged id that does not exist is refused.
    response = _client(outsider).post(
        "/api/agenda-priorities/",
        {
            "commission": other_commission.slug,
            "original_language": "en",
            "title": "X",
            "needs": [private.pk + 1000],
        },
        format="json",
    )
    assert response.status_code == 400
    assert not AgendaPriority.objects.exists()


def _queries_of(client, path=NEEDS) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries.captured_queries), response.json()


def _list_queries(client, path=NEEDS) -> tuple[int, dict]:
    """The queries of building a page of the list (not kept yet), and the page, after a
    first request has read what is remembered of the caller between requests."""
    client.get(path)
    caches["shared"].clear()
    return _queries_of(client, path)


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_need_list_needs_as_many_queries_for_2_or_12_needs(member_city, signed_in):
    client = _client(make_network_admin() if signed_in else None)
    water = make_theme("water")
    for number in range(2):
        make_need(member_city, title=f"Need {number}")
    few, first = _list_queries(client)
    for number in range(2, 12):
        need = make_need(member_city, title=f"Need {number}", themes=[water])
        services.change_need_status(need, status=NeedStatus.MATCHED, actor=None)
    many, page = _list_queries(client)
    assert few == many
    assert (first["count"], page["count"]) == (2, 12)
    last = next(row for row in page["results"] if row["title_en"] == "Need 11")
    assert last["themes"] == ["water"]
    assert last["history"][-1]["new_status"] == NeedStatus.MATCHED


def test_a_page_of_needs_is_kept_for_visitors_until_a_need_changes(member_city):
    client = _client()
    need = make_need(member_city, title="Peri-urban growth")
    assert client.get(NEEDS).json()["count"] == 1
    repeated, _page = _queries_of(client)
    assert repeated == 0
    services.change_need_status(need, status=NeedStatus.MATCHED, actor=None)
    row = client.get(NEEDS).json()["results"][0]
    assert (row["status"], row["history"][-1]["new_status"]) == ("matched", "matched")
    member_city.name_en = "Rabat-Salé"
    member_city.save()
    assert client.get(NEEDS).json()["results"][0]["city_name"] == "Rabat-Salé"
    make_need(member_city, visibility=NeedVisibility.PRIVATE)
    assert client.get(NEEDS).json()["count"] == 1


def test_a_kept_page_answers_the_bytes_rest_framework_renders_in_every_format(member_city):
    """The kept rows are written into the answer as they were rendered: the same bytes
    as rendering the page's values again, accents and line separators included; the
    browsable API and an indented answer show the same rows."""
    from rest_framework.renderers import JSONRenderer

    client = _client()
    make_need(member_city, language="fr", title="Été « sec »\u2028à Saint-Louis")
    make_need(member_city, language="es", title="Agua para el año 2030")
    built = client.get(NEEDS, HTTP_ACCEPT_LANGUAGE="fr")
    kept = client.get(NEEDS, HTTP_ACCEPT_LANGUAGE="fr")
    assert kept.content == built.content == JSONRenderer().render(kept.json())
    assert b"\\u2028" in kept.content and "Été « sec »".encode() in kept.content
    indented = client.get(NEEDS, HTTP_ACCEPT="application/json; indent=4")
    assert indented.json() == kept.json() and b'\n    "count": 2' in indented.content
    page = client.get(NEEDS + "?format=api")
    assert page.status_code == 200 and "Agua para el año 2030" in page.content.decode()
