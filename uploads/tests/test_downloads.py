"""Every uploaded file goes through one download view that asks its owner's rule."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import ActionUpdate
from actions.tests.factories import make_action, make_workstream
from library import services as library
from library.extraction import ExtractionError, extract_text
from library.models import DocumentFile, DocumentVisibility
from library.tests.files import pdf_bytes

pytestmark = pytest.mark.django_db

PAGE = b"<!doctype html><html><body><script>fetch('/api/')</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
MB = 1024 * 1024
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _document(*, visibility=DocumentVisibility.PUBLIC, publish=False):
    document = library.create_document(
        kind="report", original_language="en", title="Rabat report", visibility=visibility,
        actor=None,
    )  # fmt: skip
    library.add_document_file(
        document,
        version_number=1,
        language="en",
        uploaded_file=SimpleUploadedFile("rabat.pdf", pdf_bytes("Rabat")),
        actor=None,
    )
    if publish:
        library.publish_document(document, actor=None)
    return document, DocumentFile.objects.get(version__document=document)


def _action(commission, city):
    workstream = make_workstream(commissions=[commission])
    return make_action(workstream=workstream, owner_organisations=[city])


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", PAGE),
        ("drawing.svg", SVG),
        ("page.xhtml", PAGE),
        ("notes.txt", PAGE),
        ("figures.csv", SVG),
        ("report.pdf", PAGE),
        ("photo.png", SVG),
        ("minutes.docx", PAGE),
    ],
)
def test_a_file_that_would_run_script_is_refused_as_an_action_update_attachment(
    client, name, content, city_officer, commission, member_city
):
    action = _action(commission, member_city)
    client.force_login(city_officer)
    response = client.post(
        reverse("actions:detail", args=[action.pk]),
        {"text": "Done", "attachment": SimpleUploadedFile(name, content)},
    )
    page = response.content.decode()
    assert "Your update is posted." not in page
    assert "not accepted" in page or "not a valid" in page or "web page" in page
    assert not ActionUpdate.objects.exists()


def test_a_real_image_is_accepted_and_shown_inline_under_a_sandbox_policy(
    client, city_officer, commission, member_city
):
    action = _action(commission, member_city)
    client.force_login(city_officer)
    client.post(
        reverse("actions:detail", args=[action.pk]),
        {"text": "Photo of the site", "attachment": SimpleUploadedFile("site.png", PNG)},
    )
    update = ActionUpdate.objects.get()
    response = client.get(update.attachment.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_page_uploaded_before_the_checks_is_served_as_a_download_in_a_sandbox(
    client, commission, member_city
):
    action = _action(commission, member_city)
    update = ActionUpdate(action=action, text="Old upload")
    update.attachment.save("page.html", ContentFile(PAGE), save=True)
    response = client.get(update.attachment.url)
    assert update.attachment.url.startswith("/files/actions/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_draft_documents_file_answers_404_to_the_public_and_is_served_to_its_editor(
    client, outsider, administrator
):
    document, file = _document()
    assert client.get(file.file.url).status_code == 404
    client.force_login(outsider)
    assert client.get(file.file.url).status_code == 404
    client.force_login(administrator)
    response = client.get(file.file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_members_only_documents_file_is_served_to_members_only(client, outsider, city_officer):
    _document_, file = _document(visibility=DocumentVisibility.MEMBERS, publish=True)
    assert client.get(file.file.url).status_code == 404
    client.force_login(outsider)
    assert client.get(file.file.url).status_code == 404
    client.force_login(city_officer)
    assert client.get(file.file.url).status_code == 200


def test_a_published_public_documents_file_is_served_to_anyone(client):
    _document_, file = _document(publish=True)
    assert client.get(file.file.url).status_code == 200


def test_the_public_media_folder_is_gone_and_its_old_links_ask_permission(client, administrator):
    _document_, file = _document()  # a draft
    response = client.get(f"/media/{file.file.name}", follow=True)
    assert response.status_code == 404
    client.force_login(administrator)
    response = client.get(f"/media/{file.file.name}", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == file.file.url


def test_a_file_no_record_owns_and_odd_paths_answer_404(client):
    assert client.get("/files/library/documents/1/1/nothing.pdf").status_code == 404
    assert client.get("/files/../entrevilles.sqlite3").status_code == 404
    assert client.get("/files/elsewhere/file.txt").status_code == 404


def test_with_x_accel_redirect_the_web_server_sends_the_bytes(client, settings):
    settings.FILES_SENDFILE = "x-accel-redirect"
    _document_, file = _document(publish=True)
    response = client.get(file.file.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-files/{file.file.name}"
    assert response.content == b""
    assert response["Content-Disposition"].startswith("attachment")


def test_an_uploaded_directory_file_is_for_the_administrators_who_import(
    client, administrator, secretariat
):
    from network.services import queue_organisation_import

    job = queue_organisation_import(
        SimpleUploadedFile("members.csv", b"ref,name\n"), actor=administrator, language="en"
    )
    assert client.get(job.file.url).status_code == 404
    client.force_login(secretariat)
    assert client.get(job.file.url).status_code == 404
    client.force_login(administrator)
    assert client.get(job.file.url).status_code == 200


def _bomb(size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<document>" + b" " * size + b"</document>")
    return out.getvalue()


def test_a_docx_zip_bomb_is_refused_at_upload(client, administrator):
    document = library.create_document(
        kind="report", original_language="en", title="Bomb", actor=None
    )
    client.force_login(administrator)
    response = client.post(
        reverse("library:document_add_file", args=[document.pk]),
        {"version_number": 1, "language": "en", "file": SimpleUploadedFile("b.docx", _bomb(20 * MB))},
    )  # fmt: skip
    assert response.status_code == 400
    assert "decompresses to too much data" in response.content.decode()
    assert not DocumentFile.objects.exists()


def test_the_worker_stops_reading_a_docx_past_its_compression_ratio():
    # Under the upload check's 1 MB floor, yet far past the ratio once read.
    with pytest.raises(ExtractionError, match="too much data"):
        extract_text(_bomb(900_000), "docx")


def test_a_meeting_report_that_is_a_page_is_refused_with_a_message(client, commission, secretariat):
    from meetings.models import ReportDocument
    from meetings.tests.factories import make_meeting

    meeting = make_meeting(commissions=[commission])
    client.force_login(secretariat)
    response = client.post(
        reverse("meetings:report", args=[meeting.pk]),
        {"language": "en", "title": "Report", "file": SimpleUploadedFile("report.svg", SVG)},
    )
    assert "are not accepted" in response.content.decode()
    assert not ReportDocument.objects.exists()


def test_a_directory_import_that_is_a_page_is_refused_with_a_message(client, administrator):
    from network.models import OrganisationImport

    client.force_login(administrator)
    response = client.post(
        reverse("network:import"), {"file": SimpleUploadedFile("members.csv", PAGE)}
    )
    assert response.status_code == 400
    assert "looks like a web page" in response.content.decode()
    assert not OrganisationImport.objects.exists()


def test_a_draft_experiences_attachment_is_for_its_city_and_the_reviewers(
    client, member_city, city_officer
):
    from library.models import Status
    from library.tests.factories import make_experience

    experience = make_experience(city=member_city, status=Status.DRAFT)
    attachment = library.add_experience_attachment(
        experience, title="Photo", uploaded_file=SimpleUploadedFile("site.png", PNG),
        language="en", actor=None,
    )  # fmt: skip
    assert client.get(attachment.file.url).status_code == 404
    client.force_login(city_officer)  # Rabat's officer
    assert client.get(attachment.file.url).status_code == 200
    library.submit_experience(experience, actor=None)
    library.publish_experience(experience, actor=None)
    client.logout()
    assert client.get(attachment.file.url).status_code == 200


def test_the_api_refuses_an_action_update_attachment_that_is_a_page(
    city_officer, commission, member_city
):
    from rest_framework.test import APIClient

    action = _action(commission, member_city)
    api = APIClient()
    api.force_authenticate(city_officer)
    response = api.post(
        "/api/action-updates/",
        {"action": action.pk, "text": "Done", "attachment": SimpleUploadedFile("x.svg", SVG)},
        format="multipart",
    )
    assert response.status_code == 400
    assert not ActionUpdate.objects.exists()
    ok = api.post(
        "/api/action-updates/",
        {"action": action.pk, "text": "Photo", "attachment": SimpleUploadedFile("x.png", PNG)},
        format="multipart",
    )
    assert ok.status_code == 201
    assert "/files/actions/" in ok.json()["attachment"]
