"""The pages of learning needs: the list, a need, stating, translating, its status."""

import pytest
from django.urls import reverse

from learning.models import LearningNeed, NeedStatus, NeedStatusChange, NeedVisibility
from learning.needs.tests.factories import make_city, make_need, make_theme
from network.tests.factories import make_organisation

pytestmark = pytest.mark.django_db

NEEDS = reverse("learning:needs")
CREATE = reverse("learning:need_create")


def _valid_post(city, **overrides):
    data = {
        "city": city.pk,
        "original_language": "fr",
        "title": "Planifier la croissance d'une ville intermédiaire",
        "problem": "La ville grandit plus vite que les procédures.",
        "context": "",
        "learning_modes": ["study_visit"],
        "working_languages": ["fr"],
        "urgency": "medium",
        "visibility": "published",
    }
    data.update(overrides)
    return data


# --- the list ---------------------------------------------------------------------------


def test_the_public_list_shows_published_needs_and_hides_private_ones(client, member_city):
    make_need(member_city, title="Published in Rabat")
    make_need(member_city, title="Private in Rabat", visibility=NeedVisibility.PRIVATE)
    response = client.get(NEEDS)
    assert response.status_code == 200
    assert "Published in Rabat" in response.text
    assert "Private in Rabat" not in response.text


def test_the_list_filters_by_theme_region_size_status_language_and_words(client):
    theme = make_theme("digital-cities")
    small_in_europe = make_city(region="europe", population=20_000)
    big_in_africa = make_city(region="africa", population=3_000_000)
    make_need(small_in_europe, title="Open data", themes=[theme], language="es")
    make_need(big_in_africa, title="Bus lanes", status=NeedStatus.MATCHED)
    cases = {
        "theme=digital-cities": "Open data",
        "region=africa": "Bus lanes",
        "size_class=small_town": "Open data",
        "status=matched": "Bus lanes",
        "language=es": "Open data",
        "q=bus": "Bus lanes",
    }
    for query, expected in cases.items():
        response = client.get(f"{NEEDS}?{query}")
        assert response.status_code == 200, query
        shown = {"Open data", "Bus lanes"} - {expected}
        assert expected in response.text, query
        assert not any(f">{title}<" in response.text for title in shown), query


def test_an_unknown_filter_value_is_refused_with_a_message(client):
    response = client.get(f"{NEEDS}?theme=no-such-theme")
    assert response.status_code == 400
    assert "Select a valid choice" in response.text


def test_my_citys_needs_lists_only_the_officers_city(client, member_city, other_city, city_officer):
    make_need(member_city, title="Rabat's need")
    make_need(other_city, title="Another city's need")
    client.force_login(city_officer)
    response = client.get(f"{NEEDS}?mine=on")
    assert "Rabat&#x27;s need" in response.text
    assert "Another city" not in response.text


def test_the_list_reads_a_page_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, city_officer
):
    theme = make_theme()
    for n in range(30):
        make_need(make_city(), title=f"Need number {n}", themes=[theme])
    client.force_login(city_officer)
    with django_assert_max_num_queries(12):
        response = client.get(NEEDS)
    assert response.status_code == 200
    assert response.text.count('class="need"') == 25
    assert "Page 1 of 2" in response.text


# --- a need -----------------------------------------------------------------------------


def test_a_need_shows_its_original_language_and_a_translation_in_the_readers(client, member_city):
    need = make_need(member_city, language="fr", title="Gérer les déchets", problem="Collecte.")
    from learning.needs import services as services_needs

    services_needs.translate_need(
        need,
        language="es",
        texts={"title": "Gestionar residuos", "problem": "Recogida."},
        actor=None,
    )
    response = client.get(need.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es")
    assert "Gestionar residuos" in response.text
    assert "el original está en francés" in response.text.lower()
    response = client.get(need.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    # No English text: the original is shown, and said to be the original.
    assert "Gérer les déchets" in response.text
    assert "Original text, written in French" in response.text


def test_a_private_need_is_not_found_by_others(
    client, member_city, other_representative, city_officer
):
    need = make_need(member_city, visibility=NeedVisibility.PRIVATE)
    assert client.get(need.get_absolute_url()).status_code == 404
    client.force_login(other_representative)
    assert client.get(need.get_absolute_url()).status_code == 404
    client.force_login(city_officer)
    assert client.get(need.get_absolute_url()).status_code == 200


def test_a_need_page_reads_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, member_city, secretariat, city_officer
):
    need = make_need(member_city, themes=[make_theme()])
    for status in (NeedStatus.MATCHED, NeedStatus.IN_PARTNERSHIP, NeedStatus.MET):
        from learning.needs import services as services_needs

        services_needs.change_need_status(need, status=status, actor=secretariat)
    client.force_login(city_officer)
    with django_assert_max_num_queries(12):
        response = client.get(need.get_absolute_url())
    assert response.status_code == 200
    assert "from Matched to In partnership" in response.text


# --- stating a need ---------------------------------------------------------------------


def test_an_officer_states_a_need_for_the_city_in_one_post(client, city_officer, member_city):
    client.force_login(city_officer)
    page = client.get(CREATE)
    assert page.status_code == 200
    response = client.post(CREATE, _valid_post(member_city))
    need = LearningNeed.objects.get()
    assert response.status_code == 302
    assert response.url == need.get_absolute_url()
    assert need.city == member_city
    assert need.created_by == city_officer
    assert need.title_fr.startswith("Planifier")


def test_a_need_without_a_problem_is_refused_in_french_and_nothing_is_saved(
    client, city_officer, member_city
):
    city_officer.preferred_language = "fr"
    city_officer.save()
    client.force_login(city_officer)
    response = client.post(CREATE, _valid_post(member_city, problem=""))
    assert response.status_code == 400
    assert "Rien n'a été enregistré" in response.text
    assert "Ce champ est obligatoire" in response.text
    assert not LearningNeed.objects.exists()


def test_a_need_of_fifty_thousand_characters_is_refused(client, city_officer, member_city):
    client.force_login(city_officer)
    response = client.post(CREATE, _valid_post(member_city, problem="x" * 50_000))
    assert response.status_code == 400
    assert not LearningNeed.objects.exists()


def test_a_forged_post_for_another_city_is_refused(client, city_officer, other_city):
    client.force_login(city_officer)
    response = client.post(CREATE, _valid_post(other_city))
    assert response.status_code == 400
    assert not LearningNeed.objects.exists()


def test_the_secretariat_states_a_need_for_a_city_by_its_number(client, secretariat):
    city = make_organisation(name="Kisumu")
    client.force_login(secretariat)
    response = client.post(CREATE, _valid_post(city))
    assert response.status_code == 302
    assert LearningNeed.objects.get().city == city


@pytest.mark.parametrize("who", ["presidency", "outsider"])
def test_people_without_a_city_cannot_open_the_form(client, who, member_city, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, _valid_post(member_city)).status_code == 403
    assert not LearningNeed.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, member_city):
    response = client.post(CREATE, _valid_post(member_city))
    assert response.status_code == 302
    assert "/login/" in response.url
    assert not LearningNeed.objects.exists()


# --- status and translations ------------------------------------------------------------


def test_the_city_moves_its_need_along_and_the_history_shows_it(client, member_city, city_officer):
    need = make_need(member_city)
    client.force_login(city_officer)
    url = reverse("learning:need_status", args=[need.pk])
    response = client.post(url, {"status": "matched", "note": "Bilbao answered"})
    assert response.status_code == 302
    page = client.get(need.get_absolute_url())
    assert "from Open to Matched" in page.text
    assert "Bilbao answered" in page.text


@pytest.mark.parametrize(
    ("who", "status"), [("other_representative", 403), ("presidency", 403), ("outsider", 403)]
)
def test_others_cannot_change_a_needs_status(client, who, status, member_city, request):
    need = make_need(member_city)
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("learning:need_status", args=[need.pk]), {"status": "met"})
    assert response.status_code == status
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN


def test_a_bad_status_is_refused_with_a_message(client, member_city, city_officer):
    need = make_need(member_city)
    client.force_login(city_officer)
    response = client.post(reverse("learning:need_status", args=[need.pk]), {"status": "solved"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert NeedStatusChange.objects.filter(need=need).count() == 1


def test_the_secretariat_adds_a_translation(client, member_city, secretariat):
    need = make_need(member_city, language="fr", title="Gérer les déchets")
    client.force_login(secretariat)
    url = reverse("learning:need_translate", args=[need.pk, "en"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Managing waste", "problem": "Collection fails."})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.title_en == "Managing waste"
    assert need.original_language == "fr"


def test_a_plain_user_cannot_translate(client, member_city, outsider):
    need = make_need(member_city, language="fr")
    client.force_login(outsider)
    url = reverse("learning:need_translate", args=[need.pk, "en"])
    assert client.post(url, {"title": "X", "problem": "Y"}).status_code == 403
