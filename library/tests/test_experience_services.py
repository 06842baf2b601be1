import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from library import services
from library.models import SDG, PlanningPrinciple, Status, Theme

from .factories import make_city, make_experience

pytestmark = pytest.mark.django_db


def test_reference_taxonomies_are_loaded_in_three_languages():
    assert SDG.objects.count() == 17
    assert PlanningPrinciple.objects.count() == 12
    housing = Theme.objects.get(key="housing-basic-services")
    assert housing.label_fr == "Logement et services de base"
    assert housing.label_es == "Vivienda y servicios básicos"
    assert SDG.objects.get(number=11).title_es == "Ciudades y comunidades sostenibles"


def test_reloading_reference_data_keeps_edited_labels():
    from library.reference import load_reference_data

    Theme.objects.filter(key="mobility").update(label_en="Urban mobility")
    load_reference_data()
    assert Theme.objects.get(key="mobility").label_en == "Urban mobility"
    assert Theme.objects.count() == 20


def test_an_experience_keeps_its_original_language_and_translations():
    experience = make_experience(
        language="es", title="Movilidad urbana en Medellín", status=Status.DRAFT
    )
    services.update_experience(
        experience, language="fr", texts={"title": "Mobilité urbaine à Medellín"}, actor=None
    )
    experience.refresh_from_db()
    assert experience.original_language == "es"
    assert experience.title_es == "Movilidad urbana en Medellín"
    assert experience.title_fr == "Mobilité urbaine à Medellín"
    assert experience.translation_languages() == ["es", "fr"]


def test_an_experience_without_a_title_is_refused_and_nothing_saved():
    city = make_city()
    with pytest.raises(ValidationError):
        services.create_experience(
            city=city, original_language="fr", texts={"title": " "}, actor=None
        )
    assert not city.experiences.exists()


def test_review_workflow_goes_from_draft_to_published_and_is_audited():
    experience = make_experience(status=Status.DRAFT)
    services.submit_experience(experience, actor=None)
    assert experience.status == Status.IN_REVIEW
    services.publish_experience(experience, actor=None)
    assert experience.status == Status.PUBLISHED
    assert experience.published_at is not None
    services.return_experience(experience, note="Add results", actor=None)
    assert experience.status == Status.DRAFT
    actions = list(
        AuditEntry.objects.filter(object_id=str(experience.pk)).values_list("action", flat=True)
    )
    assert "library.experience.published" in actions
    assert "library.experience.returned" in actions


def test_a_published_experience_cannot_be_sent_for_review_again():
    experience = make_experience()
    with pytest.raises(ValidationError):
        services.submit_experience(experience, actor=None)
