"""External events and the network's representation at them, with the report back."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record, snapshot

from ..models import ExternalEvent, Representation

if TYPE_CHECKING:
    import datetime as dt

    from accounts.models import User
    from actions.models import Workstream
    from library.models import Document
    from network.models import Organisation, Person


@transaction.atomic
def create_external_event(
    *,
    titles: dict[str, str],
    organiser: str,
    starts_on: dt.date,
    ends_on: dt.date,
    commissions: Iterable,
    place: str = "",
    url: str = "",
    workstream: Workstream | None = None,
    actor: User | None,
) -> ExternalEvent:
    """Record an event the network does not organise, where it will be represented."""
    commissions = list(commissions)
    if not commissions:
        raise ValidationError({"commissions": _("Choose at least one commission.")})
    if not any(titles.values()):
        raise ValidationError({"title": _("Give the event a title.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The event cannot end before it starts.")})
    event = ExternalEvent(
        organiser=organiser,
        starts_on=starts_on,
        ends_on=ends_on,
        place=place,
        url=url,
        workstream=workstream,
    )
    for code, value in titles.items():
        setattr(event, f"title_{code}", value)
    event.full_clean(exclude=["commissions"])
    event.save()
    event.commissions.set(commissions)
    record(
        "meetings.external_event.created",
        event,
        actor=actor,
        after=snapshot(event),
        commission=commissions[0],
    )
    return event


@transaction.atomic
def add_representation(
    event: ExternalEvent,
    *,
    organisation: Organisation,
    person: Person | None = None,
    mandates: dict[str, str],
    actor: User | None,
) -> Representation:
    """Mandate an organisation (and one of its people) to represent the network."""
    if person is not None and person.organisation_id != organisation.pk:
        raise ValidationError({"person": _("The person must belong to the organisation.")})
    if event.representations.filter(organisation=organisation).exists():
        raise ValidationError(_("This organisation already represents the network there."))
    representation = Representation(event=event, organisation=organisation, person=person)
    for code, value in mandates.items():
        setattr(representation, f"mandate_{code}", value)
    representation.save()
    record(
        "meetings.representation.created",
        representation,
        actor=actor,
        after=snapshot(representation),
    )
    return representation


@transaction.atomic
def report_back(representation: Representation, text: str, *, actor: User | None) -> Representation:
    """The representatives' report back after the event."""
    if not text.strip():
        raise ValidationError({"report_back": _("Write the report back.")})
    before = representation.report_back
    representation.report_back = text
    representation.reported_at = timezone.now()
    representation.save(update_fields=["report_back", "reported_at"])
    record(
        "meetings.representation.reported",
        representation,
        actor=actor,
        before={"report_back": before},
        after={"report_back": text},
    )
    return representation


@transaction.atomic
def set_representation_documents(
    representation: Representation, documents: Iterable[Document], *, actor: User | None
) -> None:
    """The library documents that support a mandate or its report back."""
    before = sorted(representation.documents.values_list("pk", flat=True))
    representation.documents.set(documents)
    after = sorted(representation.documents.values_list("pk", flat=True))
    if before != after:
        record(
            "meetings.representation.documents_changed",
            representation,
            actor=actor,
            before={"documents": before},
            after={"documents": after},
        )
