"""The back office shows the record of meetings, actions and the knowledge base but never
writes it: every change goes through the services and their audit entries."""

import pytest
from django.urls import reverse

from library.tests.factories import make_experience

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(administrator):
    administrator.is_staff = True
    administrator.save()
    return administrator


@pytest.mark.parametrize(
    "model", ["meetings_meeting", "meetings_decision", "actions_action", "library_experience"]
)
def test_the_back_office_offers_no_form_to_add_a_record_kept_by_the_services(
    client, administrator, model
):
    client.force_login(administrator)
    listing = client.get(reverse(f"admin:{model}_changelist"))
    assert listing.status_code == 200
    assert reverse(f"admin:{model}_add") not in listing.text
    assert client.get(reverse(f"admin:{model}_add")).status_code == 403


def test_an_experience_is_shown_but_cannot_be_changed_or_deleted(client, administrator):
    experience = make_experience(language="en", title="Paying waste pickers", summary="Per tonne.")
    client.force_login(administrator)
    page = client.get(reverse("admin:library_experience_change", args=[experience.pk]))
    assert page.status_code == 200
    assert "Paying waste pickers" in page.text
    assert 'name="_save"' not in page.text
    response = client.post(reverse("admin:library_experience_delete", args=[experience.pk]))
    assert response.status_code == 403
    experience.refresh_from_db()
    assert experience.title == "Paying waste pickers"
