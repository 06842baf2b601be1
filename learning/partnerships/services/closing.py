"""The end of a partnership: outcomes, evaluations, the learning note and the
roadmap items turned into actions."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import record, snapshot
from entrevilles.languages import CODES
from learning.models import (
    Evaluation,
    LearningNote,
    NoteStatus,
    Partnership,
    RoadmapItem,
)

from .common import FINISHED, _commission

if TYPE_CHECKING:
    from accounts.models import User
    from actions.models import Action, Workstream
    from network.models import Organisation


def _check_finished(partnership: Partnership) -> None:
    if partnership.status not in FINISHED:
        raise ValidationError(_("This is done once the partnership has ended."))


@transaction.atomic
def set_outcomes(partnership: Partnership, *, outcomes: str, actor: User | None) -> Partnership:
    before = {"outcomes": partnership.outcomes or ""}
    setattr(partnership, f"outcomes_{partnership.original_language}", outcomes.strip())
    partnership.save()
    record(
        "learning.partnership.outcomes",
        partnership,
        actor=actor,
        before=before,
        after={"outcomes": outcomes.strip()},
        commission=_commission(partnership),
    )
    return partnership


@transaction.atomic
def save_evaluation(
    partnership: Partnership,
    *,
    organisation: Organisation,
    rating: int,
    what_worked: str,
    actor: User | None,
    what_to_improve: str = "",
) -> Evaluation:
    """A party evaluates a partnership that has ended (once; saving again replaces it)."""
    _check_finished(partnership)
    if not partnership.parties.filter(organisation=organisation).exists():
        raise ValidationError(_("Only a party of the partnership evaluates it."))
    if rating not in (1, 2, 3, 4, 5):
        raise ValidationError({"rating": _("A score is a whole number from 1 to 5.")})
    if not what_worked.strip():
        raise ValidationError({"what_worked": _("Say what worked.")})
    evaluation, _created = Evaluation.objects.update_or_create(
        partnership=partnership,
        organisation=organisation,
        defaults={
            "rating": rating,
            "what_worked": what_worked.strip(),
            "what_to_improve": what_to_improve.strip(),
            "author": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    record(
        "learning.evaluation.saved",
        evaluation,
        actor=actor,
        after=snapshot(evaluation),
        commission=_commission(partnership),
    )
    return evaluation


NOTE_FIELDS = ("title", "context", "challenges", "reflections", "lessons")


@transaction.atomic
def save_learning_note(
    partnership: Partnership,
    *,
    original_language: str,
    texts: dict[str, str],
    actor: User | None,
    translations: dict[str, dict[str, str]] | None = None,
    roadmap: list[str] | None = None,
) -> LearningNote:
    """Write the learning note in its language, with optional translations and roadmap.

    `roadmap` lists the roadmap items in the note's language; items already turned into
    actions are kept when their text is unchanged.
    """
    _check_finished(partnership)
    if original_language not in CODES:
        raise ValidationError({"original_language": _("Choose English, French or Spanish.")})
    if not (texts.get("title") or "").strip():
        raise ValidationError({"title": _("Give the note a title.")})
    if not (texts.get("context") or "").strip():
        raise ValidationError({"context": _("Describe the context.")})
    note = LearningNote.objects.filter(partnership=partnership).first()
    before = snapshot(note) if note else None
    note = note or LearningNote(partnership=partnership)
    note.original_language = original_language
    for field in NOTE_FIELDS:
        setattr(note, f"{field}_{original_language}", (texts.get(field) or "").strip())
    for code, values in (translations or {}).items():
        if code in CODES and code != original_language:
            for field in NOTE_FIELDS:
                if field in values:
                    setattr(note, f"{field}_{code}", (values[field] or "").strip())
    note.save()
    if roadmap is not None:
        wanted = [line.strip()[:300] for line in roadmap if line.strip()]
        existing = list(note.roadmap.all())
        keep = {}
        for item in existing:
            text = getattr(item, f"text_{original_language}") or ""
            if text in wanted and text not in keep:
                keep[text] = item
            else:
                item.delete()
        for position, text in enumerate(wanted):
            item = keep.get(text) or RoadmapItem(note=note)
            item.position = position
            setattr(item, f"text_{original_language}", text)
            item.save()
    record(
        "learning.note.saved",
        note,
        actor=actor,
        before=before,
        after=snapshot(note),
        commission=_commission(partnership),
    )
    if note.status == NoteStatus.PUBLISHED:
        _publish_to_library(note, actor=actor)
    return note


def note_languages(note: LearningNote) -> list[str]:
    """The languages the note is written or translated in, its own first."""
    others = [c for c in CODES if c != note.original_language and getattr(note, f"title_{c}")]
    return [note.original_language, *others]


def _publish_to_library(note: LearningNote, *, actor: User | None) -> None:
    from learning.partnerships.pdf import render_note_pdf
    from library import services as library
    from library.models import DocumentKind, Status

    partnership = note.partnership
    organisations = [
        party.organisation for party in partnership.parties.select_related("organisation")
    ]
    document = note.document
    if document is None:
        abstract = getattr(note, f"lessons_{note.original_language}") or getattr(
            note, f"context_{note.original_language}"
        )
        document = library.create_document(
            kind=DocumentKind.LEARNING_NOTE,
            original_language=note.original_language,
            title=getattr(note, f"title_{note.original_language}"),
            abstract=abstract[:2000],
            date=timezone.localdate(),
            authors=organisations,
            commissions=[partnership.facilitating_commission]
            if partnership.facilitating_commission
            else [],
            themes=list(partnership.themes.all()),
            tags=["learning note"],
            translations={
                code: {
                    "title": getattr(note, f"title_{code}") or "",
                    "abstract": (getattr(note, f"lessons_{code}") or "")[:2000],
                }
                for code in CODES
                if code != note.original_language
            },
            actor=actor,
        )
        note.document = document
        note.save(update_fields=["document", "updated_at"])
    # One PDF per language the note is written in: its text is what search indexes.
    for code in note_languages(note):
        pdf = render_note_pdf(note, code)
        library.add_document_file(
            document,
            version_number=1,
            language=code,
            uploaded_file=ContentFile(pdf, name=f"learning-note-{partnership.pk}-{code}.pdf"),
            is_final=True,
            actor=actor,
        )
    if document.status != Status.PUBLISHED:
        library.publish_document(document, actor=actor)


@transaction.atomic
def publish_learning_note(note: LearningNote, *, actor: User | None) -> LearningNote:
    """Publish the note: it becomes a learning-note document of the knowledge base."""
    _check_finished(note.partnership)
    if note.status == NoteStatus.PUBLISHED:
        raise ValidationError(_("This note is already published."))
    note.status = NoteStatus.PUBLISHED
    note.published_at = timezone.now()
    note.save()
    _publish_to_library(note, actor=actor)
    record(
        "learning.note.published",
        note,
        actor=actor,
        after={"status": note.status, "document": note.document_id},
        commission=_commission(note.partnership),
    )
    return note


@transaction.atomic
def turn_roadmap_item_into_action(
    item: RoadmapItem,
    *,
    workstream: Workstream,
    actor: User | None,
    due_date: datetime.date | None = None,
) -> Action:
    """Make a roadmap item an action of the action plan, owned by the parties."""
    from actions import services as actions_services

    if item.action_id is not None:
        raise ValidationError(_("This roadmap item is already an action."))
    partnership = item.note.partnership
    titles = {code: getattr(item, f"text_{code}") or "" for code in CODES}
    descriptions = {}
    for code in CODES:
        # No address in the text: a stored address outlives a change of SITE_URL (the
        # partnership's page links to the action).
        with translation.override(code):
            descriptions[code] = _("From the roadmap of the partnership %(title)s.") % {
                "title": partnership.title,
            }
    action = actions_services.create_action(
        titles=titles,
        descriptions=descriptions,
        workstream=workstream,
        owner_organisations=[
            p.organisation for p in partnership.parties.select_related("organisation")
        ],
        due_date=due_date,
        actor=actor,
    )
    item.action = action
    item.save(update_fields=["action"])
    record(
        "learning.roadmap.action_created",
        item,
        actor=actor,
        after={"action": action.pk},
        commission=_commission(partnership),
    )
    return action
