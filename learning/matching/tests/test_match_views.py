"""The suggestion fragments and setting aside, for each role."""

import pytest
from django.urls import reverse

from learning.matching.tests.factories import make_city, make_experience, make_need
from learning.models import NeedVisibility, SuggestionDismissal

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world(member_city):
    city = member_city
    answer = make_experience(
        make_city("Soacha", country="CO", region="latin-america"),
        language="es",
        title="Reciclaje de residuos",
    )
    published = make_need(city, title="Le recyclage des déchets")
    private = make_need(city, title="Le recyclage des déchets", visibility=NeedVisibility.PRIVATE)
    return {"city": city, "answer": answer, "published": published, "private": private}  # fmt: skip


def _persona(request, who):
    """The persona of the cast `who` names, or None for a visitor not signed in."""
    return request.getfixturevalue(who) if who else None


def _get(client, user, url, **extra):
    if user is not None:
        client.force_login(user)
    return client.get(url, **extra)


@pytest.mark.parametrize(
    "who", [None, "outsider", "presidency", "other_representative", "city_officer", "administrator"]
)
def test_everyone_sees_the_suggestions_of_a_published_need(client, world, who, request):
    url = reverse("learning:need_suggestions", args=[world["published"].pk])
    response = _get(client, _persona(request, who), url, **HTMX)
    assert response.status_code == 200
    assert "Reciclaje de residuos" in response.text
    propose = reverse("learning:partnership_propose")
    assert (
        f"{propose}?need={world['published'].pk}&amp;experience={world['answer'].pk}"
        in response.text
    )


@pytest.mark.parametrize(
    "who,status",
    [
        (None, 404),
        ("outsider", 404),
        ("presidency", 404),
        ("other_representative", 404),
        ("city_officer", 200),
        ("secretariat", 200),
        ("administrator", 200),
    ],
)
def test_the_suggestions_of_a_private_need_follow_the_needs_visibility(
    client, world, who, status, request
):
    url = reverse("learning:need_suggestions", args=[world["private"].pk])
    assert _get(client, _persona(request, who), url, **HTMX).status_code == status


@pytest.mark.parametrize(
    "who,allowed",
    [
        ("city_officer", True),
        ("secretariat", True),
        ("administrator", True),
        ("outsider", False),
        ("presidency", False),
        ("other_representative", False),
    ],
)
def test_only_those_who_manage_the_need_set_a_suggestion_aside(
    client, world, who, allowed, request
):
    need = world["published"]
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("learning:need_suggestions", args=[need.pk]), **HTMX)
    assert ("Set aside" in page.text) is allowed
    response = client.post(
        reverse("learning:need_dismiss_suggestion", args=[need.pk]),
        {"experience": world["answer"].pk, "reason": "too_far", "note": "Far"},
        **HTMX,
    )
    assert response.status_code == (200 if allowed else 403)
    assert SuggestionDismissal.objects.exists() is allowed
    if allowed:
        # Gone from the suggestions, listed among the set-aside ones (to be taken back).
        suggested, _sep, set_aside = response.text.partition('class="set-aside"')
        assert "Reciclaje de residuos" not in suggested
        assert "Reciclaje de residuos" in set_aside
        assert "1 suggestion set aside" in response.text


def test_anonymous_cannot_set_aside(client, world):
    response = client.post(
        reverse("learning:need_dismiss_suggestion", args=[world["published"].pk]),
        {"experience": world["answer"].pk, "reason": "too_far"},
    )
    assert response.status_code == 403
    assert not SuggestionDismissal.objects.exists()


def test_a_forged_post_on_another_citys_private_need_is_not_found(
    client, world, other_representative
):
    client.force_login(other_representative)
    response = client.post(
        reverse("learning:need_dismiss_suggestion", args=[world["private"].pk]),
        {"experience": world["answer"].pk, "reason": "too_far"},
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {"reason": "too_far"},
        {"experience": "abc", "reason": "too_far"},
        {"experience": "999999", "reason": "too_far"},
        {"experience": "ANSWER", "reason": "bored"},
        {"experience": "ANSWER", "reason": "other", "note": "x" * 2001},
    ],
)
def test_bad_set_aside_input_is_refused_and_nothing_saved(client, world, data, city_officer):
    data = {k: (world["answer"].pk if v == "ANSWER" else v) for k, v in data.items()}
    client.force_login(city_officer)
    response = client.post(
        reverse("learning:need_dismiss_suggestion", args=[world["published"].pk]), data
    )
    assert response.status_code in (400, 404)
    assert not SuggestionDismissal.objects.exists()


def test_without_htmx_setting_aside_comes_back_to_the_full_page(client, world, city_officer):
    client.force_login(city_officer)
    need = world["published"]
    response = client.post(
        reverse("learning:need_dismiss_suggestion", args=[need.pk]),
        {"experience": world["answer"].pk, "reason": "other"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Back to the need" in page.text


def test_the_need_page_loads_its_suggestions_afterwards(client, world):
    page = client.get(world["published"].get_absolute_url())
    url = reverse("learning:need_suggestions", args=[world["published"].pk])
    assert f'hx-get="{url}"' in page.text
    assert "Reciclaje de residuos" not in page.text


def test_the_suggestions_fragment_keeps_a_small_query_budget(
    client, world, django_assert_max_num_queries, city_officer
):
    for n in range(15):
        make_experience(make_city(country="MA"), title=f"Waste recycling {n}")
    client.force_login(city_officer)
    url = reverse("learning:need_suggestions", args=[world["published"].pk])
    client.get(url, **HTMX)  # the glossary is read once per process
    with django_assert_max_num_queries(21):
        response = client.get(url, **HTMX)
    assert response.text.count("Propose a partnership") >= 10


@pytest.mark.parametrize("who", [None, "outsider", "administrator"])
def test_an_experience_lists_the_needs_it_answers_that_the_reader_may_see(
    client, world, who, request
):
    url = reverse("learning:experience_needs", args=[world["answer"].pk])
    response = _get(client, _persona(request, who), url, **HTMX)
    assert response.status_code == 200
    assert response.text.count("Le recyclage des déchets") == (2 if who == "administrator" else 1)


def test_a_draft_experience_has_no_needs_list_for_the_public(client, world):
    draft = make_experience(world["city"], title="Draft", status="draft")
    response = client.get(reverse("learning:experience_needs", args=[draft.pk]))
    assert response.status_code == 404
