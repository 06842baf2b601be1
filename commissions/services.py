"""Writes to commissions: every change goes through one of these functions.

Each function is atomic and writes an audit entry with `commission=` set, so that the
commission's secretariat can read the history of its own commission.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from network.models import Organisation, Person
from search import services as search_services

from .models import Commission, CommissionKind, CommissionMembership, Presidency, Secretariat

if TYPE_CHECKING:
    from accounts.models import User

TRANSLATED_FIELDS = ("name", "mandate")
EDITABLE_FIELDS = frozenset(
    [f"{field}_{code}" for field in TRANSLATED_FIELDS for code in settings.LANGUAGE_CODES]
    + ["kind", "email", "is_active"]
)


def _commission_snapshot(commission: Commission) -> dict[str, Any]:
    return audit.snapshot(commission, sorted(EDITABLE_FIELDS | {"slug"}))


def _check_changes(changes: dict[str, Any]) -> None:
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        # A programming error, not user input: forms only send known fields.
        raise ValueError(f"Unknown commission fields: {', '.join(sorted(unknown))}")


@transaction.atomic
def create_commission(*, slug: str, actor: User | None, **fields: Any) -> Commission:
    """Create a commission, working group or community of practice.

    `fields` are among `EDITABLE_FIELDS` (e.g. name_en, name_fr, mandate_es, kind, email).
    """
    _check_changes(fields)
    fields.setdefault("kind", CommissionKind.COMMISSION)
    commission = Commission(slug=slug, **fields)
    if not any(getattr(commission, f"name_{code}") for code in settings.LANGUAGE_CODES):
        raise ValidationError({"name_en": _("A commission needs a name in at least one language.")})
    commission.full_clean()
    commission.save()
    search_services.schedule_reindex("commission", commission.pk)
    audit.record(
        "commissions.commission.created",
        commission,
        actor=actor,
        after=_commission_snapshot(commission),
        commission=commission,
    )
    return commission


@transaction.atomic
def update_commission(commission: Commission, *, actor: User | None, **changes: Any) -> Commission:
    """Change names, mandate, kind, e-mail address or active flag of a commission."""
    _check_changes(changes)
    before = _commission_snapshot(commission)
    for field, value in changes.items():
        setattr(commission, field, value)
    if not any(getattr(commission, f"name_{code}") for code in settings.LANGUAGE_CODES):
        raise ValidationError({"name_en": _("A commission needs a name in at least one language.")})
    commission.full_clean()
    old, new = audit.changed(before, _commission_snapshot(commission))
    if not new:
        return commission
    commission.save()
    search_services.schedule_reindex("commission", commission.pk)
    if any(name.startswith("name") for name in new):
        # Its meetings' entries show its name.
        search_services.schedule_dependents("commission", commission.pk)
    audit.record(
        "commissions.commission.updated",
        commission,
        actor=actor,
        before=old,
        after=new,
        commission=commission,
    )
    return commission


@transaction.atomic
def delete_commission(commission: Commission, *, actor: User | None) -> None:
    """Delete a commission with its memberships, presidencies and secretariats (the back
    office's delete); the search entries that showed it follow after commit."""
    search_services.schedule_removal("commission", commission.pk)
    audit.record(
        "commissions.commission.deleted",
        commission,
        actor=actor,
        before=_commission_snapshot(commission),
    )
    commission.delete()


@transaction.atomic
def add_member(
    commission: Commission, organisation: Organisation, *, actor: User | None
) -> tuple[CommissionMembership, bool]:
    """Make `organisation` a member of `commission`.

    Idempotent: adding a member again changes nothing and returns (membership, False).
    """
    existing = CommissionMembership.objects.filter(
        commission=commission, organisation=organisation
    ).first()
    if existing is not None:
        return existing, False
    try:
        # A savepoint, so that a concurrent insert of the same pair does not break the
        # caller's transaction; the unique constraint decides who wins.
        with transaction.atomic():
            membership = CommissionMembership.objects.create(
                commission=commission, organisation=organisation
            )
    except IntegrityError:
        return CommissionMembership.objects.get(
            commission=commission, organisation=organisation
        ), False
    audit.record(
        "commissions.membership.added",
        membership,
        actor=actor,
        after={"organisation_id": organisation.pk, "organisation": str(organisation)},
        commission=commission,
    )
    return membership, True


@transaction.atomic
def remove_member(
    commission: Commission, organisation: Organisation, *, actor: User | None
) -> bool:
    """End `organisation`'s membership of `commission`. Idempotent: False if it was not one."""
    membership = CommissionMembership.objects.filter(
        commission=commission, organisation=organisation
    ).first()
    if membership is None:
        return False
    audit.record(
        "commissions.membership.removed",
        membership,
        actor=actor,
        before={
            "organisation_id": organisation.pk,
            "organisation": str(organisation),
            "joined_on": membership.joined_on.isoformat(),
        },
        commission=commission,
    )
    membership.delete()
    return True


def _presidency_snapshot(presidency: Presidency) -> dict[str, Any]:
    return audit.snapshot(presidency, ["role", "organisation", "person", "start_date", "end_date"])


@transaction.atomic
def set_presidency(
    commission: Commission,
    *,
    role: str,
    organisation: Organisation,
    person: Person | None = None,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    presidency: Presidency | None = None,
    actor: User | None,
) -> Presidency:
    """Record that `organisation` presides `commission` in `role` for a term.

    Pass `presidency` to change an existing one. The person representing the presidency
    must belong to the organisation; the term must not end before it starts.
    """
    if presidency is not None and presidency.commission_id != commission.pk:
        raise ValueError("This presidency belongs to another commission.")
    creating = presidency is None
    if presidency is None:
        presidency = Presidency(commission=commission)
        before: dict[str, Any] = {}
    else:
        before = _presidency_snapshot(presidency)
    presidency.role = role
    presidency.organisation = organisation
    presidency.person = person
    presidency.start_date = start_date
    presidency.end_date = end_date
    presidency.full_clean()
    presidency.save()
    after = _presidency_snapshot(presidency)
    if creating:
        audit.record(
            "commissions.presidency.created",
            presidency,
            actor=actor,
            after=after,
            commission=commission,
        )
    else:
        old, new = audit.changed(before, after)
        if new:
            audit.record(
                "commissions.presidency.updated",
                presidency,
                actor=actor,
                before=old,
                after=new,
                commission=commission,
            )
    return presidency


@transaction.atomic
def end_presidency(
    presidency: Presidency, *, on: datetime.date | None = None, actor: User | None
) -> Presidency:
    """End a presidency's term on `on` (today by default)."""
    on = on or timezone.localdate()
    if presidency.start_date is not None and on < presidency.start_date:
        raise ValidationError(
            {"end_date": _("A term cannot end before it starts.")}, code="term_order"
        )
    before = {"end_date": presidency.end_date.isoformat() if presidency.end_date else None}
    presidency.end_date = on
    presidency.save(update_fields=["end_date"])
    audit.record(
        "commissions.presidency.ended",
        presidency,
        actor=actor,
        before=before,
        after={"end_date": on.isoformat()},
        commission=presidency.commission,
    )
    return presidency


@transaction.atomic
def set_secretariat(
    commission: Commission, organisation: Organisation, *, email: str = "", actor: User | None
) -> Secretariat:
    """Make `organisation` (one of) the secretariat(s) of `commission`; idempotent."""
    secretariat = Secretariat.objects.filter(
        commission=commission, organisation=organisation
    ).first()
    if secretariat is None:
        secretariat = Secretariat(commission=commission, organisation=organisation, email=email)
        secretariat.full_clean()
        secretariat.save()
        audit.record(
            "commissions.secretariat.created",
            secretariat,
            actor=actor,
            after=audit.snapshot(secretariat, ["organisation", "email"]),
            commission=commission,
        )
    elif secretariat.email != email:
        before = {"email": secretariat.email}
        secretariat.email = email
        secretariat.full_clean()
        secretariat.save(update_fields=["email"])
        audit.record(
            "commissions.secretariat.updated",
            secretariat,
            actor=actor,
            before=before,
            after={"email": email},
            commission=commission,
        )
    return secretariat


@transaction.atomic
def remove_secretariat(secretariat: Secretariat, *, actor: User | None) -> None:
    """The organisation no longer runs the commission's secretariat."""
    audit.record(
        "commissions.secretariat.removed",
        secretariat,
        actor=actor,
        before=audit.snapshot(secretariat, ["organisation", "email"]),
        commission=secretariat.commission,
    )
    secretariat.delete()


@transaction.atomic
def add_secretariat_contact(
    secretariat: Secretariat, person: Person, *, actor: User | None
) -> bool:
    """Add a contact person to a secretariat; they must work for its organisation.

    Idempotent: returns False when the person already was a contact.
    """
    if person.organisation_id != secretariat.organisation_id:
        raise ValidationError(
            {
                "person": _("%(person)s does not belong to %(organisation)s.")
                % {"person": person.full_name, "organisation": secretariat.organisation}
            },
            code="person_organisation",
        )
    if secretariat.contacts.filter(pk=person.pk).exists():
        return False
    secretariat.contacts.add(person)
    audit.record(
        "commissions.secretariat.contact_added",
        secretariat,
        actor=actor,
        after={"person_id": person.pk, "person": person.full_name},
        commission=secretariat.commission,
    )
    return True


@transaction.atomic
def remove_secretariat_contact(
    secretariat: Secretariat, person: Person, *, actor: User | None
) -> bool:
    """Remove a contact person; idempotent (False when they were not a contact)."""
    if not secretariat.contacts.filter(pk=person.pk).exists():
        return False
    secretariat.contacts.remove(person)
    audit.record(
        "commissions.secretariat.contact_removed",
        secretariat,
        actor=actor,
        before={"person_id": person.pk, "person": person.full_name},
        commission=secretariat.commission,
    )
    return True
