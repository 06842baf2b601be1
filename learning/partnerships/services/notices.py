"""The notice of what happened to a partnership, mailed to the people concerned (its
parties' representatives and the facilitating secretariat), each in their language.

The services ask for it after commit (`common._notify_on_commit`); the background worker
sends it (`learning.tasks.send_partnership_notice`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.template.loader import render_to_string
from django.utils import translation

from accounts.recipients import readers_for
from learning.models import Partnership, PartnershipParty

if TYPE_CHECKING:
    from collections.abc import Iterable

    from accounts.recipients import Reader


def _recipients(
    partnership_id: int, *, organisation_ids: Iterable[int] | None = None, secretariat: bool = True
) -> tuple[Partnership, list[Reader]]:
    """Readers to tell: the parties' representatives (or some parties') and the secretariat."""
    partnership = Partnership.objects.get(pk=partnership_id)
    party_ids = organisation_ids
    if party_ids is None:
        party_ids = list(partnership.parties.values_list("organisation_id", flat=True))
    commission_id = partnership.facilitating_commission_id
    found = readers_for(
        organisations=party_ids,
        commissions=[commission_id] if secretariat and commission_id else [],
    )
    readers: dict[int | None, Reader] = {}
    for group in found.values():
        for reader in group:
            readers.setdefault(reader.user_id, reader)
    return partnership, list(readers.values())


def send_partnership_notice(
    partnership_id: int,
    event: str,
    *,
    organisation_ids: list[int] | None = None,
    secretariat: bool = True,
    party_id: int | None = None,
    exclude_user_id: int | None = None,
) -> int:
    """Tell the people concerned what happened to a partnership, each in their language."""
    partnership, readers = _recipients(
        partnership_id, organisation_ids=organisation_ids, secretariat=secretariat
    )
    party = PartnershipParty.objects.select_related("organisation").filter(pk=party_id).first()  # type: ignore[misc]  # pk=None finds no party, as meant
    url = settings.SITE_URL + partnership.get_absolute_url()
    messages = []
    for reader in readers:
        if reader.user_id == exclude_user_id:
            continue
        with translation.override(reader.language):
            context = {
                "partnership": partnership,
                "title": partnership.title,
                "status": partnership.get_status_display(),
                "organisation": party.organisation.name if party else "",
                "event": event,
                "url": url,
                "recipient": reader,
            }
            subject = render_to_string("learning/email/partnership_subject.txt", context)
            body = render_to_string("learning/email/partnership.txt", context)
        # On one line, its no-break spaces kept ("Partenariat : …" in French).
        subject = " ".join(line.strip() for line in subject.splitlines() if line.strip())
        messages.append(EmailMessage(subject, body, None, [reader.email]))
    if messages:
        mailers.default.send_messages(messages)
    return len(messages)
