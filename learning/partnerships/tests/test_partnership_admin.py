"""The network sets the self-assessment criteria in the back office, in three languages."""

import pytest

from audit.models import AuditEntry
from learning.models import AssessmentCriterion
from learning.partnerships.tests.factories import make_network_admin, make_secretariat_user

pytestmark = pytest.mark.django_db

URL = "/admin/learning/assessmentcriterion/add/"


def test_a_network_administrator_adds_a_translated_criterion(client):
    client.force_login(make_network_admin())
    response = client.post(
        URL,
        {
            "name_en": "Mutual learning",
            "name_fr": "Apprentissage mutuel",
            "name_es": "Aprendizaje mutuo",
            "position": 1,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    criterion = AssessmentCriterion.objects.get()
    assert criterion.name_fr == "Apprentissage mutuel"
    assert AuditEntry.objects.filter(action="learning.assessmentcriterion.saved").count() == 1


def test_a_secretariat_cannot_change_the_network_criteria(client):
    client.force_login(make_secretariat_user())
    response = client.post(URL, {"name_en": "Mine", "position": 1})
    assert response.status_code == 403
    assert AssessmentCriterion.objects.count() == 0
