import pytest
from django.urls import reverse

from library.models import Experience, Status

from .factories import make_city, make_experience

pytestmark = pytest.mark.django_db


def client_for(client, user):
    if user is not None:
        client.force_login(user)
    return client


def test_published_experiences_are_listed_for_everyone(client, django_assert_max_num_queries):
    for n in range(5):
        make_experience(title=f"Published {n}")
    make_experience(title="Hidden draft", status=Status.DRAFT)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("library:experiences"))
    assert response.status_code == 200
    assert "Published 4" in response.text
    assert "Hidden draft" not in response.text


def test_an_experience_is_shown_in_the_readers_language_with_its_original_named(client):
    from library import services

    experience = make_experience(language="es", title="Presupuesto participativo")
    services.update_experience(
        experience, language="fr", texts={"title": "Budget participatif"}, actor=None
    )
    response = client.get(
        reverse("library:experience", args=[experience.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert "Budget participatif" in response.text
    response = client.get(reverse("library:experience", args=[experience.pk]) + "?lang=es")
    assert "Presupuesto participativo" in response.text


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        (None, 404),
        ("outsider", 404),
        ("presidency", 404),
        ("city_officer", 200),
        ("secretariat", 200),
        ("administrator", 200),
    ],
)
def test_a_draft_is_seen_only_by_its_city_and_the_secretariat(
    client, request, member_city, persona, status
):
    experience = make_experience(city=member_city, status=Status.DRAFT, title="Draft")
    response = client_for(client, (request.getfixturevalue(persona) if persona else None)).get(
        reverse("library:experience", args=[experience.pk])
    )
    assert response.status_code == status


def test_a_city_officer_writes_an_experience_of_their_city(client, city_officer, member_city):
    client.force_login(city_officer)
    response = client.post(
        reverse("library:experience_create"),
        {"city": member_city.pk, "original_language": "fr", "title": "Tramway de Rabat-Salé"},
    )
    experience = Experience.objects.get()
    assert response.status_code == 302
    assert experience.title_fr == "Tramway de Rabat-Salé"
    assert experience.status == Status.DRAFT


def test_a_city_officer_cannot_write_for_another_city(client, city_officer):
    other = make_city("Durban")
    client.force_login(city_officer)
    response = client.post(
        reverse("library:experience_create"),
        {"city": other.pk, "original_language": "en", "title": "Forged"},
    )
    assert response.status_code == 200  # the form refuses a city that is not offered
    assert not Experience.objects.exists()


@pytest.mark.parametrize("persona", [None, "outsider", "presidency"])
def test_people_without_a_city_cannot_open_the_form(client, request, persona):
    response = client_for(client, (request.getfixturevalue(persona) if persona else None)).get(
        reverse("library:experience_create")
    )
    assert response.status_code in (302, 403)


def test_a_city_officer_cannot_edit_another_citys_experience(client, city_officer):
    experience = make_experience(city=make_city("Durban"), title="Durban")
    client.force_login(city_officer)
    response = client.post(
        reverse("library:experience_edit", args=[experience.pk]) + "?lang=en", {"title": "Forged"}
    )
    assert response.status_code == 403
    experience.refresh_from_db()
    assert experience.title_en == "Durban"


def test_the_officer_sends_for_review_and_the_secretariat_publishes(
    client, member_city, city_officer, secretariat
):
    experience = make_experience(city=member_city, status=Status.DRAFT)
    url = reverse("library:experience_status", args=[experience.pk])
    client.force_login(city_officer)
    client.post(url, {"action": "submit"})
    assert client.post(url, {"action": "publish"}).status_code == 403
    experience.refresh_from_db()
    assert experience.status == Status.IN_REVIEW
    client.force_login(secretariat)
    review = client.get(reverse("library:review_queue"))
    assert experience.title in review.text
    client.post(url, {"action": "publish"})
    experience.refresh_from_db()
    assert experience.status == Status.PUBLISHED


@pytest.mark.parametrize("persona", ["city_officer", "presidency", "outsider"])
def test_only_the_secretariat_opens_the_review_queue(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("library:review_queue")).status_code == 403


def test_an_unknown_action_is_a_bad_request(client, member_city, city_officer):
    experience = make_experience(city=member_city, status=Status.DRAFT)
    client.force_login(city_officer)
    response = client.post(
        reverse("library:experience_status", args=[experience.pk]), {"action": "explode"}
    )
    assert response.status_code == 400


def test_status_changes_need_a_post(client, member_city, city_officer):
    experience = make_experience(city=member_city, status=Status.DRAFT)
    client.force_login(city_officer)
    response = client.get(reverse("library:experience_status", args=[experience.pk]))
    assert response.status_code == 405


def test_the_api_lists_published_experiences_to_anonymous_readers(client):
    make_experience(title="Public one")
    make_experience(title="Draft one", status=Status.DRAFT)
    data = client.get("/api/experiences/").json()
    assert [row["title_en"] for row in data["results"]] == ["Public one"]


def test_a_city_officer_attaches_a_file_to_their_citys_experience(
    client, member_city, city_officer, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    experience = make_experience(city=member_city, status=Status.DRAFT)
    other = make_experience(city=make_city("Durban"), status=Status.DRAFT)
    client.force_login(city_officer)
    data = {
        "title": "Plan",
        "language": "fr",
        "file": SimpleUploadedFile("plan.txt", b"Plan de mobilite"),
    }
    client.post(reverse("library:experience_add_attachment", args=[experience.pk]), data)
    assert experience.attachments.get().title == "Plan"
    data["file"] = SimpleUploadedFile("plan.txt", b"forged")
    response = client.post(reverse("library:experience_add_attachment", args=[other.pk]), data)
    assert response.status_code == 404
    assert not other.attachments.exists()


def test_the_contact_person_is_chosen_among_the_citys_people(client, member_city, city_officer):
    from network.models import Person

    experience = make_experience(city=member_city, status=Status.DRAFT, title="Tram")
    colleague = Person.objects.create(first_name="Amina", last_name="B", organisation=member_city)
    stranger = Person.objects.create(first_name="Zed", last_name="Z")
    client.force_login(city_officer)
    url = reverse("library:experience_edit", args=[experience.pk]) + "?lang=en"
    client.post(url, {"title": "Tram", "contact": stranger.pk})
    experience.refresh_from_db()
    assert experience.contact is None
    client.post(url, {"title": "Tram", "contact": colleague.pk})
    experience.refresh_from_db()
    assert experience.contact == colleague


@pytest.mark.parametrize(
    ("persona", "sees_link"),
    [
        ("administrator", True),
        ("secretariat", True),
        ("presidency", False),
        ("city_officer", False),
    ],
)
def test_the_review_queue_is_reachable_from_the_library_by_those_who_review(
    client, request, persona, sees_link
):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("library:experiences")).content.decode()
    assert (reverse("library:review_queue") in page) is sees_link
