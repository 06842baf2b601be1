"""Every write to learning needs and to the agenda priorities that cite them.

Views, the API, the demo and the benchmark call these functions; each checks its input,
runs in one transaction and writes its audit entry, so nothing is ever half saved.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import changed, record, snapshot
from entrevilles.languages import CODES, language_columns
from learning.models import (
    AgendaPriority,
    LearningMode,
    LearningNeed,
    NeedStatus,
    NeedStatusChange,
    NeedVisibility,
    Urgency,
)
from learning.models.needs import MAX_TEXT_LENGTH, MAX_TITLE_LENGTH
from learning.needs.notifying import follow_need
from search.services import schedule_reindex

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable

    from accounts.models import User
    from commissions.models import Commission
    from library.models import SDG, Theme
    from meetings.models import Meeting
    from network.models import Organisation, Person

NEED_TEXT_FIELDS = ("title", "problem", "context")
PRIORITY_TEXT_FIELDS = ("title", "description")


def _check_language(language: str, field: str = "original_language") -> None:
    if language not in CODES:
        raise ValidationError(
            {
                field: _("Unknown language “%(language)s”; use en, fr or es.")
                % {"language": language}
            }
        )


def _check_need_texts(texts: dict[str, str], *, original: bool) -> dict[str, str]:
    """Stripped texts, or a ValidationError naming every field that is wrong."""
    cleaned = {
        field: (texts.get(field) or "").strip() for field in NEED_TEXT_FIELDS if field in texts
    }
    errors: dict[str, str] = {}
    limits = {"title": MAX_TITLE_LENGTH, "problem": MAX_TEXT_LENGTH, "context": MAX_TEXT_LENGTH}
    for field, value in cleaned.items():
        if len(value) > limits[field]:
            errors[field] = _("This text has %(length)s characters; keep it under %(limit)s.") % {
                "length": len(value),
                "limit": limits[field],
            }
    if original:
        if not cleaned.get("title"):
            errors.setdefault("title", _("Give the need a short title."))
        if "problem" in cleaned and not cleaned["problem"]:
            errors.setdefault("problem", _("Describe the problem the city wants to solve."))
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_choices(
    values: Iterable[str] | None, allowed: Collection[str], field: str, message: str
) -> list[str]:
    values = list(dict.fromkeys(values or []))
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise ValidationError({field: message % {"values": ", ".join(map(str, unknown))}})
    return values


def _check_details(details: dict) -> dict:
    """Learning modes, working languages, urgency and visibility, checked and normalised."""
    checked = dict(details)
    if "learning_modes" in checked:
        checked["learning_modes"] = _check_choices(
            checked["learning_modes"],
            LearningMode.values,
            "learning_modes",
            _("Unknown way of learning: %(values)s."),
        )
    if "working_languages" in checked:
        checked["working_languages"] = _check_choices(
            checked["working_languages"],
            CODES,
            "working_languages",
            _("Unknown language: %(values)s; use en, fr or es."),
        )
    if "urgency" in checked and checked["urgency"] not in Urgency.values:
        raise ValidationError({"urgency": _("Choose an urgency from the list.")})
    if "visibility" in checked and checked["visibility"] not in NeedVisibility.values:
        raise ValidationError({"visibility": _("Choose who may read the need.")})
    return checked


NEED_DETAILS = ("learning_modes", "working_languages", "urgency", "visibility", "contact")


@transaction.atomic
def create_need(
    *,
    city: Organisation,
    original_language: str,
    texts: dict[str, str],
    actor: User | None,
    themes: Iterable[Theme] = (),
    sdgs: Iterable[SDG] = (),
    learning_modes: Iterable[str] = (),
    working_languages: Iterable[str] = (),
    urgency: str = Urgency.MEDIUM,
    visibility: str = NeedVisibility.PUBLISHED,
    contact: Person | None = None,
) -> LearningNeed:
    """A new open need of `city`, written in `original_language`, with its first history line."""
    _check_language(original_language)
    cleaned = _check_need_texts({"problem": "", **texts}, original=True)
    details = _check_details(
        {
            "learning_modes": learning_modes,
            "working_languages": working_languages or [original_language],
            "urgency": urgency,
            "visibility": visibility,
        }
    )
    need = LearningNeed(
        city=city,
        original_language=original_language,
        contact=contact,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **details,
    )
    for field, value in cleaned.items():
        setattr(need, f"{field}_{original_language}", value)
    need.full_clean(exclude=language_columns(NEED_TEXT_FIELDS))
    need.save()
    if themes:
        need.themes.set(themes)
    if sdgs:
        need.sdgs.set(sdgs)
    schedule_reindex("need", need.pk)
    NeedStatusChange.objects.create(
        need=need,
        old_status="",
        new_status=need.status,
        changed_by=need.created_by,
        changed_at=need.created_at,
    )
    record("learning.need.created", need, actor=actor, after=snapshot(need))
    follow_need(need)
    return need


@transaction.atomic
def update_need(
    need: LearningNeed,
    *,
    actor: User | None,
    language: str | None = None,
    texts: dict[str, str] | None = None,
    themes: Iterable[Theme] | None = None,
    sdgs: Iterable[SDG] | None = None,
    details: dict | None = None,
) -> LearningNeed:
    """Change the text in one language (the original, or a translation) and the details.

    A translation may be added or corrected by the city or the secretariat; the original
    language stays what it was, so readers always know which text the city wrote.
    """
    before = snapshot(need)
    if texts:
        language = language or need.original_language
        _check_language(language, "language")
        cleaned = _check_need_texts(texts, original=language == need.original_language)
        for field, value in cleaned.items():
            setattr(need, f"{field}_{language}", value)
    if details:
        unknown = set(details) - set(NEED_DETAILS)
        if unknown:
            raise ValueError(f"Not a detail of a need: {sorted(unknown)}")
        for name, value in _check_details(details).items():
            setattr(need, name, value)
    need.full_clean(exclude=language_columns(NEED_TEXT_FIELDS))
    need.save()
    if themes is not None:
        need.themes.set(themes)
    if sdgs is not None:
        need.sdgs.set(sdgs)
    schedule_reindex("need", need.pk)
    old, new = changed(before, snapshot(need))
    record("learning.need.changed", need, actor=actor, before=old, after=new)
    return need


@transaction.atomic
def translate_need(
    need: LearningNeed, *, language: str, texts: dict[str, str], actor: User | None
) -> LearningNeed:
    """Add or correct the translation of a need's texts into another language."""
    _check_language(language, "language")
    if language == need.original_language:
        raise ValidationError(
            {"language": _("This is the need's original language; edit the need instead.")}
        )
    cleaned = _check_need_texts(texts, original=False)
    if not cleaned.get("title") or not cleaned.get("problem"):
        raise ValidationError(
            {"title": _("A translation needs at least the title and the problem.")}
        )
    return update_need(need, actor=actor, language=language, texts=cleaned)


@transaction.atomic
def change_need_status(
    need: LearningNeed,
    *,
    status: str,
    actor: User | None,
    note: str = "",
    at: datetime.datetime | None = None,
) -> NeedStatusChange:
    """Move a need to another status, keeping who did it, when and why in its history."""
    if status not in NeedStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    if status == need.status:
        raise ValidationError({"status": _("The need already has this status.")})
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError({"note": _("Keep the note under 500 characters.")})
    # Lock the row so that two people changing the status at once leave a true history.
    need = LearningNeed.objects.select_for_update().get(pk=need.pk)
    old_status = need.status
    need.status = status
    need.save(update_fields=["status", "updated_at"])
    schedule_reindex("need", need.pk)
    change = NeedStatusChange.objects.create(
        need=need,
        old_status=old_status,
        new_status=status,
        note=note,
        changed_by=actor if getattr(actor, "is_authenticated", False) else None,
        changed_at=at or timezone.now(),
    )
    record(
        "learning.need.status_changed",
        need,
        actor=actor,
        before={"status": old_status},
        after={"status": status, "note": note},
    )
    return change


def _check_priority_texts(texts: dict[str, str], *, original: bool) -> dict[str, str]:
    cleaned = {
        field: (texts.get(field) or "").strip() for field in PRIORITY_TEXT_FIELDS if field in texts
    }
    if original and not cleaned.get("title"):
        raise ValidationError({"title": _("Give the priority a title.")})
    if len(cleaned.get("title", "")) > MAX_TITLE_LENGTH:
        raise ValidationError(
            {"title": _("Keep the title under %(limit)s characters.") % {"limit": MAX_TITLE_LENGTH}}
        )
    if len(cleaned.get("description", "")) > MAX_TEXT_LENGTH:
        raise ValidationError(
            {
                "description": _("Keep the description under %(limit)s characters.")
                % {"limit": MAX_TEXT_LENGTH}
            }
        )
    return cleaned


@transaction.atomic
def create_agenda_priority(
    *,
    commission: Commission,
    original_language: str,
    texts: dict[str, str],
    actor: User | None,
    needs: Iterable[LearningNeed] = (),
    themes: Iterable[Theme] = (),
    meeting: Meeting | None = None,
    adopted_on: datetime.date | None = None,
    position: int = 0,
) -> AgendaPriority:
    """A priority the commission adopts, justified by the needs given."""
    _check_language(original_language)
    cleaned = _check_priority_texts(texts, original=True)
    if meeting is not None and not meeting.commissions.filter(pk=commission.pk).exists():
        raise ValidationError({"meeting": _("Choose a meeting of this commission.")})
    priority = AgendaPriority(
        commission=commission,
        original_language=original_language,
        meeting=meeting,
        adopted_on=adopted_on or timezone.localdate(),
        position=position,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for field, value in cleaned.items():
        setattr(priority, f"{field}_{original_language}", value)
    priority.full_clean(exclude=language_columns(PRIORITY_TEXT_FIELDS))
    priority.save()
    priority.needs.set(needs)
    priority.themes.set(themes)
    after = snapshot(priority)
    after["needs"] = sorted(need.pk for need in needs)
    record(
        "learning.agenda_priority.adopted",
        priority,
        actor=actor,
        after=after,
        commission=commission,
    )
    return priority


@transaction.atomic
def update_agenda_priority(
    priority: AgendaPriority,
    *,
    actor: User | None,
    language: str | None = None,
    texts: dict[str, str] | None = None,
    needs: Iterable[LearningNeed] | None = None,
    themes: Iterable[Theme] | None = None,
) -> AgendaPriority:
    """Change a priority's text in one language (a translation included), its needs or themes."""
    before = snapshot(priority)
    before["needs"] = sorted(priority.needs.values_list("pk", flat=True))
    if texts:
        language = language or priority.original_language
        _check_language(language, "language")
        cleaned = _check_priority_texts(texts, original=language == priority.original_language)
        for field, value in cleaned.items():
            setattr(priority, f"{field}_{language}", value)
        priority.full_clean(exclude=language_columns(PRIORITY_TEXT_FIELDS))
        priority.save()
    if needs is not None:
        priority.needs.set(needs)
    if themes is not None:
        priority.themes.set(themes)
    after = snapshot(priority)
    after["needs"] = sorted(priority.needs.values_list("pk", flat=True))
    old, new = changed(before, after)
    record(
        "learning.agenda_priority.changed",
        priority,
        actor=actor,
        before=old,
        after=new,
        commission=priority.commission,
    )
    return priority
