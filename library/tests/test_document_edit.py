"""Editing a document after its creation: texts per language, details, links; who may."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEntry
from commissions.models import Commission
from library import services
from library.models import SDG, Document, DocumentVisibility, Theme
from search.searching import run_search

from .factories import make_city, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def other_secretariat(db):
    return make_user(
        Role.SECRETARIAT, commission=Commission.objects.create(slug="other", name="Other")
    )


def make_document(commission=None, *, publish=True, **overrides):
    values = {
        "kind": "report",
        "original_language": "en",
        "title": "Rabat meeting report",
        "abstract": "What the commission agreed in Rabat.",
        "commissions": [commission] if commission else [],
    }
    values.update(overrides)
    document = services.create_document(actor=None, **values)
    if publish:
        services.add_document_file(
            document,
            version_number=1,
            language="en",
            uploaded_file=SimpleUploadedFile("report.txt", b"The report."),
            actor=None,
        )
        services.publish_document(document, actor=None)
    return document


def edit_url(document, lang=None):
    url = reverse("library:document_edit", args=[document.pk])
    return f"{url}?lang={lang}" if lang else url


def form_data(**overrides):
    data = {
        "title": "Rabat meeting report",
        "abstract": "",
        "kind": "report",
        "date": "",
        "visibility": "public",
        "tags": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        (None, 302),  # to the login page
        ("outsider", 403),
        ("city_officer", 403),
        ("presidency", 403),
        ("other_secretariat", 403),
        ("secretariat", 200),
        ("administrator", 200),
    ],
)
def test_the_edit_page_is_for_the_documents_secretariats_and_administrators(
    client, request, commission, persona, status
):
    document = make_document(commission)
    if persona:
        client.force_login(request.getfixturevalue(persona))
    response = client.get(edit_url(document))
    assert response.status_code == status
    changed = client.post(edit_url(document), form_data(title="Changed"))
    assert changed.status_code == (302 if status == 200 else status)
    document.refresh_from_db()
    assert document.title_en == ("Changed" if status == 200 else "Rabat meeting report")


def test_an_unpublished_document_is_not_found_by_those_who_may_not_edit_it(
    client, commission, city_officer
):
    document = make_document(commission, publish=False)
    client.force_login(city_officer)
    assert client.get(edit_url(document)).status_code == 404


def test_a_translation_is_written_in_its_own_language_and_leaves_the_original(
    client, commission, secretariat
):
    document = make_document(commission)
    client.force_login(secretariat)
    page = client.get(edit_url(document, "fr"))
    assert "This is a translation" in page.text
    response = client.post(
        edit_url(document, "fr"),
        form_data(
            title="Rapport de la réunion de Rabat", abstract="Ce que la commission a décidé."
        ),
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title_fr == "Rapport de la réunion de Rabat"
    assert document.abstract_fr == "Ce que la commission a décidé."
    assert document.title_en == "Rabat meeting report"


def test_the_original_text_must_keep_its_title(client, commission, secretariat):
    document = make_document(commission)
    client.force_login(secretariat)
    response = client.post(edit_url(document), form_data(title="  "))
    assert response.status_code == 400
    assert "must keep a title" in response.text
    document.refresh_from_db()
    assert document.title_en == "Rabat meeting report"


def test_details_taxonomies_and_links_are_changed_and_audited(client, commission, secretariat):
    document = make_document(commission)
    theme = Theme.objects.order_by("pk").first()
    sdg = SDG.objects.get(number=11)
    author = make_city("Rabat-Salé")
    client.force_login(secretariat)
    response = client.post(
        edit_url(document),
        form_data(
            kind="framework",
            date="2024-05-03",
            visibility="members",
            tags="Rabat-2013, learning agenda",
            themes=[theme.pk],
            sdgs=[sdg.pk],
            commissions=[commission.pk],
            authors=[author.pk],
        ),
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.kind == "framework"
    assert str(document.date) == "2024-05-03"
    assert document.visibility == DocumentVisibility.MEMBERS
    assert document.tags == ["rabat-2013", "learning agenda"]
    assert list(document.themes.all()) == [theme]
    assert list(document.sdgs.all()) == [sdg]
    assert list(document.authors.all()) == [author]
    entry = AuditEntry.objects.filter(action="library.document.changed").get()
    assert entry.before["kind"] == "report"
    assert entry.after["kind"] == "framework"
    assert entry.after["sdgs"] == [11]
    assert entry.actor == secretariat


def test_a_secretariat_keeps_the_links_of_other_commissions_and_cannot_add_them(
    client, commission, secretariat
):
    other = Commission.objects.create(slug="other", name="Other")
    document = make_document(commission)
    document.commissions.add(other)
    client.force_login(secretariat)
    third = Commission.objects.create(slug="third", name="Third")
    response = client.post(edit_url(document), form_data(commissions=[commission.pk, third.pk]))
    # A commission outside the form's choices is refused.
    assert response.status_code == 400
    response = client.post(edit_url(document), form_data(commissions=[commission.pk]))
    assert response.status_code == 302
    assert set(document.commissions.all()) == {commission, other}


def test_a_published_document_is_reindexed_when_its_texts_or_visibility_change(
    client,
    tasks_run_on_enqueue,
    django_capture_on_commit_callbacks,
    commission,
    secretariat,
    city_officer,
):
    with django_capture_on_commit_callbacks(execute=True):
        document = make_document(commission)
    assert run_search(None, "rabat").total == 1
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url(document, "es"), form_data(title="Informe de la reunión de Marrakech"))
    assert run_search(None, "marrakech").total == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            edit_url(document, "en"), form_data(visibility="members", title="Rabat meeting report")
        )
    assert run_search(None, "rabat").total == 0
    assert run_search(city_officer, "rabat").total == 1


def test_the_api_updates_a_document_for_its_secretariat_only(
    client, commission, city_officer, secretariat
):
    document = make_document(commission)
    url = reverse("api:document-detail", args=[document.pk])
    payload = {"title_es": "Informe de Rabat", "sdgs": [11], "kind": "guideline"}
    assert client.patch(url, payload, content_type="application/json").status_code in (401, 403)
    client.force_login(city_officer)
    assert client.patch(url, payload, content_type="application/json").status_code == 403
    client.force_login(secretariat)
    response = client.patch(url, payload, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["title_es"] == "Informe de Rabat"
    assert response.json()["kind"] == "guideline"
    document.refresh_from_db()
    assert [s.number for s in document.sdgs.all()] == [11]
    bad = client.patch(url, {"title_en": ""}, content_type="application/json")
    assert bad.status_code == 400
    assert client.patch(url, {"sdgs": [99]}, content_type="application/json").status_code == 400
    assert client.patch(url, {"kind": "poem"}, content_type="application/json").status_code == 400
    assert Document.objects.get(pk=document.pk).title_en == "Rabat meeting report"
