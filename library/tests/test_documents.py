import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from library import services
from library.models import DocumentFile, DocumentVisibility, Status
from uploads.formats import UploadKind

from .files import docx_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def make_document(**overrides):
    values = {
        "kind": "policy_paper",
        "original_language": "en",
        "title": "Policy Paper on Strategic Planning",
    }
    values.update(overrides)
    return services.create_document(actor=None, **values)


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.fixture
def worker(settings, django_capture_on_commit_callbacks):
    """Tasks enqueued after commit run at once, in this process, as the worker would."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_text_is_extracted_from_a_pdf_file_by_the_worker(worker):
    document = make_document()
    with worker():
        file = services.add_document_file(
            document,
            version_number=1,
            language="en",
            uploaded_file=upload("paper.pdf", pdf_bytes("Local leadership in planning")),
            actor=None,
        )
    file.refresh_from_db()
    assert "Local leadership in planning" in file.extracted_text


def test_text_is_extracted_from_a_docx_file_by_the_worker(worker):
    document = make_document()
    with worker():
        file = services.add_document_file(
            document,
            version_number=1,
            language="fr",
            uploaded_file=upload("doc.docx", docx_bytes("Villes intermédiaires")),
            actor=None,
        )
    file.refresh_from_db()
    assert "Villes intermédiaires" in file.extracted_text


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.exe", b"MZ"),
        ("broken.pdf", b"%PDF-1.4 garbage"),
        ("broken.docx", b"not a zip"),
        ("latin1.txt", "é".encode("latin-1")),
    ],
)
def test_unsupported_or_corrupt_files_are_refused_and_nothing_is_saved(name, content):
    document = make_document()
    with pytest.raises(ValidationError):
        services.add_document_file(
            document,
            version_number=1,
            language="en",
            uploaded_file=upload(name, content),
            actor=None,
        )
    assert not DocumentFile.objects.exists()
    assert not document.versions.exists()


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(
        "library.services.LIBRARY_DOCUMENT", UploadKind("library_document", ("txt",), 10)
    )
    document = make_document()
    with translation.override("en"), pytest.raises(ValidationError, match="larger"):
        services.add_document_file(
            document,
            version_number=1,
            language="en",
            uploaded_file=upload("a.txt", b"x" * 11),
            actor=None,
        )


def test_a_document_with_no_language_variant_cannot_be_published():
    document = make_document()
    with pytest.raises(ValidationError, match="at least one language"):
        services.publish_document(document, actor=None)
    document.refresh_from_db()
    assert document.status == Status.DRAFT


def test_drafts_come_before_the_final_version():
    document = make_document(kind="framework", title="Framework Document on Intermediary Cities")
    services.add_document_file(
        document,
        version_number=1,
        version_label="Draft for Rabat",
        language="en",
        uploaded_file=upload("v1.txt", b"draft"),
        actor=None,
    )
    services.add_document_file(
        document,
        version_number=2,
        is_final=True,
        language="en",
        uploaded_file=upload("v2.txt", b"final"),
        actor=None,
    )
    current = document.current_version()
    assert current.number == 2 and current.is_final


def test_recommendations_are_recorded_as_numbered_items():
    from library.models import PlanningPrinciple

    document = make_document()
    principle = PlanningPrinciple.objects.get(number=2)
    first = services.add_document_item(
        document,
        kind="recommendation",
        texts={"en": "Stress local leadership"},
        principles=[principle],
        actor=None,
    )
    second = services.add_document_item(
        document, kind="recommendation", texts={"fr": "Associer les habitants"}, actor=None
    )
    assert (first.number, second.number) == (1, 2)
    assert list(first.principles.all()) == [principle]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        (None, 404),
        ("outsider", 404),
        ("city_officer", 200),
        ("presidency", 200),
        ("secretariat", 200),
        ("administrator", 200),
    ],
)
def test_members_only_documents_are_shown_to_members_only(client, persona, status, request):
    document = make_document(visibility=DocumentVisibility.MEMBERS)
    services.add_document_file(
        document,
        version_number=1,
        language="en",
        uploaded_file=upload("a.txt", b"text"),
        actor=None,
    )
    services.publish_document(document, actor=None)
    if persona:
        client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("library:document", args=[document.pk])).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [("city_officer", 403), ("presidency", 403), ("secretariat", 302), ("administrator", 302)],
)
def test_only_secretariats_upload_files(client, persona, status, request):
    document = make_document()
    services.add_document_file(
        document,
        version_number=1,
        language="en",
        uploaded_file=upload("a.txt", b"text"),
        actor=None,
    )
    services.publish_document(document, actor=None)
    client.force_login(request.getfixturevalue(persona))
    response = client.post(
        reverse("library:document_add_file", args=[document.pk]),
        {"version_number": 1, "language": "fr", "file": upload("b.txt", b"texte")},
    )
    assert response.status_code == status


def test_an_unreadable_upload_through_the_page_shows_a_message(client, secretariat):
    document = make_document()
    client.force_login(secretariat)
    response = client.post(
        reverse("library:document_add_file", args=[document.pk]),
        {"version_number": 1, "language": "en", "file": upload("broken.pdf", b"%PDF nonsense")},
    )
    assert response.status_code == 400
    assert "not a valid PDF file" in response.text
    assert not DocumentFile.objects.exists()


def test_a_secretariat_creates_a_document_for_its_own_commission_only(
    client, secretariat, commission
):
    from commissions.models import Commission
    from library.models import Document

    other = Commission.objects.create(slug="other", name="Other")
    client.force_login(secretariat)
    form = {"kind": "report", "original_language": "fr", "title": "Rapport", "visibility": "public"}
    client.post(reverse("library:document_create"), {**form, "commissions": [other.pk]})
    assert not Document.objects.exists()
    response = client.post(
        reverse("library:document_create"), {**form, "commissions": [commission.pk]}
    )
    document = Document.objects.get()
    assert response.status_code == 302
    assert document.title_fr == "Rapport"
    assert list(document.commissions.all()) == [commission]


@pytest.mark.parametrize("persona", ["city_officer", "presidency", "outsider"])
def test_only_secretariats_create_documents(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("library:document_create")).status_code == 403
