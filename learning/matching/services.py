"""Setting a suggestion aside (and taking it back), audited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record, snapshot
from learning.models import DismissalReason, LearningNeed, SuggestionDismissal

if TYPE_CHECKING:
    from accounts.models import User
    from library.models import Experience
    from network.models import Organisation

MAX_NOTE = 2_000


@transaction.atomic
def dismiss_suggestion(
    need: LearningNeed,
    *,
    experience: Experience | None = None,
    organisation: Organisation | None = None,
    reason: str,
    note: str = "",
    actor: User | None,
) -> SuggestionDismissal:
    """Set an experience or a peer city aside for this need; later suggestions leave it
    out and lower similar ones according to `reason` (see `engine`)."""
    if (experience is None) == (organisation is None):
        raise ValidationError(_("Set aside either an experience or a city."))
    if reason not in DismissalReason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationError(
            {"note": _("The note is longer than %(max)s characters.") % {"max": MAX_NOTE}}
        )
    dismissal, _created = SuggestionDismissal.objects.update_or_create(
        need=need,
        experience=experience,
        organisation=organisation,
        defaults={
            "reason": reason,
            "note": note,
            "created_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    record("learning.suggestion.dismissed", dismissal, actor=actor, after=snapshot(dismissal))
    return dismissal


@transaction.atomic
def restore_suggestion(dismissal: SuggestionDismissal, *, actor: User | None) -> None:
    """Take back a set-aside suggestion: it may appear again."""
    record("learning.suggestion.restored", dismissal, actor=actor, before=snapshot(dismissal))
    dismissal.delete()
