"""The audit log in the back office reads as words in the reader's language."""

import pytest
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEntry
from circulars.tests.factories import grant, make_circular, make_commission, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def french_admin():
    admin = grant(make_user(email="admin@example.org"), Role.NETWORK_ADMIN)
    admin.is_staff = True
    admin.preferred_language = "fr"
    admin.save()
    return admin


def test_the_audit_log_lists_what_was_done_in_words(client, french_admin):
    make_circular(commissions=[make_commission()], actor=french_admin)
    client.force_login(french_admin)
    page = client.get(reverse("admin:audit_auditentry_changelist")).content.decode()
    assert "Création" in page
    assert "Circulaire" in page
    assert "circulars.circular.created" not in page


def test_an_audit_entry_shows_field_labels_and_values_in_the_readers_language(client, french_admin):
    make_circular(commissions=[make_commission()], actor=french_admin)
    entry = AuditEntry.objects.get(action="circulars.circular.created")
    client.force_login(french_admin)
    page = client.get(reverse("admin:audit_auditentry_change", args=[entry.pk])).content.decode()
    assert "Objet (français)" in page
    assert "Résultats de la réunion" in page
    assert "Brouillon" in page
    for code in ("subject_fr", "created_by_id", "&quot;draft&quot;", "circulars.circular.created"):
        assert code not in page
