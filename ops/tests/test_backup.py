"""A backup restores the data and the uploaded files, and the search works again."""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from library import services as library_services
from library.models import Experience, ExperienceAttachment
from library.tests.factories import make_city, make_experience
from network.models import Organisation
from search.services import index_object

pytestmark = pytest.mark.django_db(transaction=True)


def searching(client, words: str) -> list[int]:
    return [hit["id"] for hit in client.get("/api/search/", {"q": words}).json()["results"]]


def test_a_backup_wiped_and_restored_brings_back_data_files_and_search(client, tmp_path, settings):
    experience = make_experience(
        city=make_city("Chefchaouen"), language="fr", title="Jardins partagés sur les toits"
    )
    index_object("experience", experience.pk)
    attachment = library_services.add_experience_attachment(
        experience,
        title="Plan des jardins",
        uploaded_file=SimpleUploadedFile("jardins.txt", b"Toits de la medina, 2024."),
        language="fr",
        actor=None,
    )
    stored_name = attachment.file.name
    assert searching(client, "jardins toits") == [experience.pk]

    backup = tmp_path / "backups" / "entrevilles.tar.gz"
    call_command("backup", str(backup), stdout=StringIO(), stderr=StringIO())
    assert backup.exists()

    # The disaster: every row and every file gone.
    call_command("flush", interactive=False, verbosity=0)
    attachment.file.storage.delete(stored_name)
    assert not Organisation.objects.exists()
    assert searching(client, "jardins toits") == []

    out = StringIO()
    call_command("restore", str(backup), "--no-input", stdout=out, stderr=StringIO())

    assert "Restored the backup of" in out.getvalue()
    restored = Experience.objects.get(pk=experience.pk)
    assert restored.title == "Jardins partagés sur les toits"
    assert restored.city.name == "Chefchaouen"
    restored_file = ExperienceAttachment.objects.get(experience=restored).file
    assert restored_file.name == stored_name
    with restored_file.open("rb") as stored:
        assert stored.read() == b"Toits de la medina, 2024."
    assert searching(client, "jardins toits") == [experience.pk]


def test_after_a_restore_everyone_signs_in_again_and_no_kept_page_is_served(
    client, tmp_path, settings
):
    from django.urls import reverse

    from accounts.tests.factories import make_user

    user = make_user()
    client.force_login(user)
    notifications = reverse("notifications:list")
    assert client.get(notifications).status_code == 200
    backup = tmp_path / "entrevilles.tar.gz"
    call_command("backup", str(backup), stdout=StringIO(), stderr=StringIO())

    call_command("restore", str(backup), "--no-input", stdout=StringIO(), stderr=StringIO())

    # The person's row is back, with the same password, but not their session.
    response = client.get(notifications)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_restoring_a_file_that_is_not_a_backup_changes_nothing(tmp_path):
    city = make_city("Tétouan")
    not_a_backup = tmp_path / "notes.tar.gz"
    not_a_backup.write_bytes(b"just some bytes")
    with pytest.raises(CommandError, match="is not a backup of this platform"):
        call_command("restore", str(not_a_backup), "--no-input", stdout=StringIO())
    assert Organisation.objects.filter(pk=city.pk).exists()
