"""Drafting, validation, approval and the status history."""

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from circulars import markup, services
from circulars.models import Circular, CircularStatus, Delivery, SegmentKind

from .factories import BODIES, SUBJECTS, make_circular, make_commission, sending

pytestmark = pytest.mark.django_db


def test_a_circular_needs_its_original_language_version():
    with pytest.raises(ValidationError) as error:
        make_circular(original_language="es")
    assert "subject_es" in error.value.message_dict
    assert not Circular.objects.exists()


def test_a_version_with_a_subject_but_no_body_is_refused():
    with pytest.raises(ValidationError) as error:
        make_circular(subjects={**SUBJECTS, "es": "Resultados"})
    assert "body_es" in error.value.message_dict


def test_an_unknown_or_broken_placeholder_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError) as error:
        make_circular(bodies={**BODIES, "fr": "Bonjour {{nom}}"})
    assert "{{nom}}" in error.value.message_dict["body_fr"][0]
    with pytest.raises(ValidationError) as error:
        make_circular(bodies={**BODIES, "en": "Hello {{name"})
    assert "not closed" in error.value.message_dict["body_en"][0]


def test_a_missing_language_falls_back_to_the_original():
    circular = make_circular(original_language="fr")
    assert circular.languages == ["fr", "en"]
    assert circular.language_for("es") == "fr"
    assert circular.language_for("en") == "en"


def test_the_body_is_rendered_to_a_safe_subset_of_html():
    html = markup.render_html(
        "# Title\n\n<script>alert(1)</script> [x](javascript:alert(1)) **ok**"
    )
    assert "<script" not in html
    assert 'href="javascript' not in html
    assert "<strong>ok</strong>" in html


def test_editing_an_approved_circular_withdraws_its_approval():
    circular = make_circular()
    services.approve_circular(circular, actor=None)
    services.update_circular(
        circular,
        kind=circular.kind,
        commissions=[],
        original_language="en",
        subjects={"en": "New subject"},
        bodies={"en": "New body"},
        actor=None,
    )
    circular.refresh_from_db()
    assert circular.status == CircularStatus.DRAFT
    assert circular.approved_at is None
    assert [e.status_after for e in circular.events.all()] == ["draft", "approved", "draft"]
    assert AuditEntry.objects.filter(action="circulars.circular.updated").exists()


def test_sending_an_empty_audience_is_refused_and_nothing_is_started():
    circular = make_circular()
    services.approve_circular(circular, actor=None)
    with pytest.raises(ValidationError):
        services.start_sending(circular, actor=None)
    circular.refresh_from_db()
    assert circular.status == CircularStatus.APPROVED
    assert not Delivery.objects.exists()


def test_a_draft_cannot_be_sent_and_a_sent_circular_cannot_be_edited():
    commission = make_commission()
    from .factories import add_member, make_organisation, make_person

    city = make_organisation()
    add_member(commission, city)
    make_person(organisation=city)
    circular = make_circular(
        audience=[{"kind": SegmentKind.COMMISSION_MEMBERS, "commission": commission}]
    )
    with pytest.raises(ValidationError):
        services.start_sending(circular, actor=None)
    sending(circular)
    with pytest.raises(ValidationError):
        services.update_circular(
            circular,
            kind=circular.kind,
            commissions=[],
            original_language="en",
            subjects=SUBJECTS,
            bodies=BODIES,
            actor=None,
        )
    with pytest.raises(ValidationError):
        services.set_audience(circular, [], actor=None)
    with pytest.raises(ValidationError):
        services.delete_circular(circular, actor=None)


def test_a_segment_without_its_criterion_is_refused():
    circular = make_circular()
    with pytest.raises(ValidationError):
        services.set_audience(circular, [{"kind": SegmentKind.REGION}], actor=None)
    with pytest.raises(ValidationError):
        services.set_audience(circular, [{"kind": "everybody"}], actor=None)
    assert not circular.segments.exists()
