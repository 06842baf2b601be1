"""A need's copied place, the list's paging, SDGs and contact in the form, editing a
priority, and taking back a set-aside suggestion (page and API)."""

import pytest
from django.urls import reverse

from commissions.tests.factories import make_commission
from learning.matching import services as matching_services
from learning.matching.tests.factories import make_experience
from learning.models import AgendaPriority, LearningNeed, NeedVisibility, SuggestionDismissal
from learning.needs import services as services_needs
from learning.needs.tests.factories import make_city, make_need, make_theme
from learning.needs.views import NeedIds
from library.models import SDG
from network import services as network_services
from network.models import Person
from network.tests.factories import make_secretariat_user

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


# --- the city's place copied onto its needs ------------------------------------------------


def test_a_need_carries_its_citys_region_and_size_class_and_follows_the_city():
    city = make_city(region="africa", population=600_000)
    need = make_need(city)
    need.refresh_from_db()
    assert (need.region.code, need.size_class) == ("africa", "intermediary")
    network_services.update_organisation(city, population=5_000_000, actor=None)
    need.refresh_from_db()
    assert need.size_class == "metropolis"


def test_the_list_filters_by_region_and_size_class_through_the_copies(client):
    kisumu = make_city(name="Kisumu", region="africa", population=600_000)
    lyon = make_city(name="Lyon", region="europe", population=2_000_000)
    make_need(kisumu, title="Planning growth")
    make_need(lyon, title="Metro lines")
    page = client.get(reverse("learning:needs"), {"region": "africa", "size_class": "intermediary"})
    assert "Planning growth" in page.text
    assert "Metro lines" not in page.text


# --- the list's paging ---------------------------------------------------------------------


def test_the_ids_of_two_parts_are_merged_newest_first_and_counted():
    city = make_city()
    needs = [make_need(city) for _ in range(5)]
    odd = LearningNeed.objects.filter(pk__in=[needs[1].pk, needs[3].pk])
    even = LearningNeed.objects.filter(pk__in=[needs[0].pk, needs[2].pk, needs[4].pk])
    ids = NeedIds([odd, even])
    assert ids.count() == 5
    assert ids[0:5] == [need.pk for need in reversed(needs)]
    assert ids[1:3] == [needs[3].pk, needs[2].pk]


def test_a_words_search_says_more_than_when_its_count_is_capped(client, monkeypatch):
    monkeypatch.setattr("learning.needs.views.WORDS_COUNT_LIMIT", 2)
    city = make_city()
    for _ in range(3):
        make_need(city, title="Flood maps")
    page = client.get(reverse("learning:needs"), {"q": "flood"})
    assert "More than 2 needs" in page.text
    page = client.get(reverse("learning:needs"), {"q": "nothing like it"})
    assert "More than" not in page.text


def test_an_officer_sees_published_needs_and_their_own_private_ones_in_date_order(
    client, django_assert_max_num_queries, other_city, member_city, city_officer
):
    other = make_need(other_city, title="Other published")
    own = make_need(member_city, title="Our private one", visibility=NeedVisibility.PRIVATE)
    hidden = make_need(other_city, title="Their private one", visibility=NeedVisibility.PRIVATE)
    client.force_login(city_officer)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("learning:needs"))
    shown = [need.pk for need in page.context["page"].object_list]
    assert shown == [own.pk, other.pk]
    assert hidden.title not in page.text
    assert "2 needs" in page.text


# --- SDGs and contact in the need form -----------------------------------------------------


def _sdg(number):
    return SDG.objects.get_or_create(number=number, defaults={"title": f"Goal {number}"})[0]


def test_an_officer_states_a_need_with_sdgs_and_a_contact_person(client, member_city, city_officer):
    sdg = _sdg(11)
    contact = Person.objects.create(first_name="Amina", last_name="B", organisation=member_city)
    client.force_login(city_officer)
    form = client.get(reverse("learning:need_create"))
    assert "Sustainable Development Goals (optional)" in form.text
    assert "Contact person (optional)" in form.text
    response = client.post(
        reverse("learning:need_create"),
        {
            "city": member_city.pk,
            "original_language": "en",
            "title": "Planning growth",
            "problem": "We grow fast.",
            "sdgs": [sdg.pk],
            "contact": contact.pk,
            "urgency": "medium",
            "visibility": "published",
        },
    )
    assert response.status_code == 302
    need = LearningNeed.objects.get()
    assert list(need.sdgs.all()) == [sdg]
    assert need.contact == contact
    page = client.get(need.get_absolute_url())
    assert "SDG 11" in page.text


def test_a_contact_from_another_city_is_refused_and_nothing_saved(
    client, other_city, secretariat, member_city
):
    stranger = Person.objects.create(first_name="Diego", last_name="C", organisation=other_city)
    client.force_login(secretariat)
    response = client.post(
        reverse("learning:need_create"),
        {
            "city": member_city.pk,
            "original_language": "en",
            "title": "Planning growth",
            "problem": "We grow fast.",
            "contact": stranger.pk,
            "urgency": "medium",
            "visibility": "published",
        },
    )
    assert response.status_code == 400
    assert "Choose someone who works for this city." in response.text
    assert not LearningNeed.objects.exists()


def test_editing_a_need_changes_its_sdgs_and_contact(client, member_city, city_officer):
    need = make_need(member_city)
    contact = Person.objects.create(first_name="Amina", last_name="B", organisation=member_city)
    sdg = _sdg(6)
    client.force_login(city_officer)
    response = client.post(
        reverse("learning:need_edit", args=[need.pk]),
        {
            "title": need.title,
            "problem": "Still growing.",
            "sdgs": [sdg.pk],
            "contact": contact.pk,
            "urgency": "high",
            "visibility": "published",
        },
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.contact == contact
    assert list(need.sdgs.all()) == [sdg]


# --- editing an agenda priority ------------------------------------------------------------


@pytest.fixture
def priority(member_city, commission, administrator):
    need = make_need(member_city, title="Planning growth")
    priority = services_needs.create_agenda_priority(
        commission=commission,
        original_language="en",
        texts={"title": "Growth planning"},
        needs=[need],
        actor=administrator,
    )
    return priority, need


@pytest.mark.parametrize(
    "who, status",
    [
        (None, 302),
        ("outsider", 403),
        ("city_officer", 403),
        ("presidency", 403),
        ("secretariat", 200),
        ("administrator", 200),
    ],
)
def test_only_the_commissions_secretariat_and_admins_open_the_priority_editor(
    client, priority, who, status, commission, request
):
    item, _need = priority
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("learning:priority_edit", args=[item.pk]))
    assert response.status_code == status
    agenda = client.get(reverse("learning:agenda_commission", args=[commission.slug]))
    assert ("Edit the priority" in agenda.text) is (status == 200)


def test_the_secretariat_edits_a_priority_and_adds_a_french_title(
    client, priority, other_city, secretariat
):
    item, need = priority
    other = make_need(other_city)
    theme = make_theme()
    client.force_login(secretariat)
    url = reverse("learning:priority_edit", args=[item.pk])
    assert "Growth planning" in client.get(url).text
    response = client.post(
        url,
        {
            "original_language": "fr",
            "title": "Planifier la croissance",
            "description": "",
            "themes": [theme.pk],
            "needs": f"{need.pk}, {other.pk}",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title_en == "Growth planning"
    assert item.title_fr == "Planifier la croissance"
    assert set(item.needs.all()) == {need, other}


def test_a_secretariat_of_another_commission_cannot_forge_an_edit(client, priority):
    item, need = priority
    outsider = make_secretariat_user(make_commission(), email="other-sec@example.org")
    client.force_login(outsider)
    response = client.post(
        reverse("learning:priority_edit", args=[item.pk]),
        {"original_language": "en", "title": "Hijacked", "needs": str(need.pk)},
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.title_en == "Growth planning"


def test_unknown_needs_in_a_priority_edit_are_refused(client, priority, secretariat):
    item, _need = priority
    client.force_login(secretariat)
    response = client.post(
        reverse("learning:priority_edit", args=[item.pk]),
        {"original_language": "en", "title": "Growth", "needs": "999999"},
    )
    assert response.status_code == 400
    assert AgendaPriority.objects.get().title_en == "Growth planning"


# --- taking back a set-aside suggestion ----------------------------------------------------


@pytest.fixture
def dismissed(member_city, city_officer):
    need = make_need(member_city, title="Waste recycling")
    experience = make_experience(make_city(name="Soacha"), title="Reciclaje de residuos")
    item = matching_services.dismiss_suggestion(
        need, experience=experience, reason="too_far", actor=city_officer
    )
    return need, item


@pytest.mark.parametrize(
    "who, status",
    [("outsider", 403), ("other_representative", 403), ("city_officer", 302),
     ("secretariat", 302)],
)  # fmt: skip
def test_those_who_manage_the_need_take_a_set_aside_suggestion_back(
    client, dismissed, who, status, request
):
    need, item = dismissed
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("learning:need_restore_suggestion", args=[need.pk, item.pk]))
    assert response.status_code == status
    assert SuggestionDismissal.objects.exists() is (status != 302)


def test_the_suggestions_list_offers_to_take_back_what_was_set_aside(
    client, dismissed, city_officer
):
    need, item = dismissed
    client.force_login(city_officer)
    page = client.get(reverse("learning:need_suggestions", args=[need.pk]), **HTMX)
    assert "Take back" in page.text
    response = client.post(
        reverse("learning:need_restore_suggestion", args=[need.pk, item.pk]), **HTMX
    )
    assert response.status_code == 200
    assert "Take back" not in response.text


def test_anonymous_cannot_take_back_and_a_get_is_refused(client, dismissed):
    need, item = dismissed
    url = reverse("learning:need_restore_suggestion", args=[need.pk, item.pk])
    assert client.post(url).status_code == 403
    assert client.get(url).status_code == 405
    assert SuggestionDismissal.objects.exists()


@pytest.mark.parametrize(
    "who, status",
    [(None, 401), ("outsider", 403), ("city_officer", 204), ("administrator", 204)],
)
def test_the_api_takes_a_set_aside_suggestion_back(client, dismissed, who, status, request):
    need, item = dismissed
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.delete(f"/api/matching/needs/{need.pk}/dismissals/{item.pk}/")
    assert response.status_code in ((401, 403) if status == 401 else (status,))
    assert SuggestionDismissal.objects.exists() is (status not in (204,))
    if status == 204:
        again = client.delete(f"/api/matching/needs/{need.pk}/dismissals/{item.pk}/")
        assert again.status_code == 404
