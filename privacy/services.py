"""Every write of privacy: asking for one's data, deleting an account, the retention purge."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions as roles
from accounts.models import Invitation, Role, RoleAssignment, User
from audit.models import AuditEntry
from audit.services import record
from circulars.models import Delivery
from notifications.models import Follow, Notification, NotificationMail, Preference
from privacy import permissions

from .models import DataExport

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.permissions import AnyUser

EXPORT_LIFETIME = timedelta(days=7)
EXPORT_INTERVAL = timedelta(minutes=1)


@transaction.atomic
def request_export(*, actor: AnyUser) -> DataExport:
    """Ask for an archive of one's data; the worker builds it and mails the link.

    One request a minute: the archive is costly to build.
    """
    if not roles.is_authenticated(actor):
        raise PermissionDenied
    # Lock the person's row so that two requests at the same moment make one archive.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    recent = DataExport.objects.filter(
        user=actor, requested_at__gt=timezone.now() - EXPORT_INTERVAL
    ).exists()
    if recent:
        raise ValidationError(
            _("You asked for your data less than a minute ago. It is on its way by e-mail.")
        )
    export = DataExport.objects.create(
        user=actor,
        token=secrets.token_urlsafe(32),
        expires_at=timezone.now() + EXPORT_LIFETIME,
    )
    record("privacy.export.requested", export, actor=actor)

    def enqueue(export_id: int = export.pk) -> None:
        from .tasks import build_export

        build_export.enqueue(export_id)

    transaction.on_commit(enqueue)
    return export


def pseudonym(user: User) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{user.pk}".encode()).hexdigest()[:8]
    return _("Former member %(code)s") % {"code": digest}


def deletion_blockers(user: User) -> list[str]:
    """Why deleting this account would harm the network (empty when it would not)."""
    reasons = []
    others = RoleAssignment.objects.exclude(user=user).filter(user__is_active=True)
    is_admin = RoleAssignment.objects.filter(user=user, role=Role.NETWORK_ADMIN).exists()
    if (is_admin or user.is_superuser) and not (
        others.filter(role=Role.NETWORK_ADMIN).exists()
        or User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk).exists()
    ):
        reasons.append(_("This is the network's last administrator: name another one first."))
    for assignment in RoleAssignment.objects.filter(
        user=user, role=Role.SECRETARIAT
    ).select_related("commission"):
        if not others.filter(role=Role.SECRETARIAT, commission=assignment.commission_id).exists():
            reasons.append(
                _("%(commission)s would be left without a secretariat: name another one first.")
                % {"commission": assignment.commission}
            )
    return reasons


def _scrub(values: object, contact: set[str], names: list[str], name: str) -> object:
    """The values with contact details erased and the person's full name replaced by the
    pseudonym, however deep they sit in a snapshot."""
    if isinstance(values, dict):
        return {key: _scrub(value, contact, names, name) for key, value in values.items()}
    if isinstance(values, list):
        return [_scrub(value, contact, names, name) for value in values]
    if isinstance(values, str):
        if values.strip().lower() in contact:
            return "[erased]"
        return _replace_names(values, names, name)
    return values


def _replace_names(text: str, names: list[str], name: str) -> str:
    for full_name in names:
        text = re.sub(re.escape(full_name), name, text, flags=re.IGNORECASE)
    return text


def _entries_mentioning(needles: set[str]) -> QuerySet[AuditEntry]:
    """Audit entries whose snapshots or label contain one of these strings. A JSON column
    is searched as text, where SQLite keeps non-ASCII letters escaped: both forms are asked."""
    forms = {form for needle in needles for form in (needle, json.dumps(needle)[1:-1])}
    query = Q(pk=None)
    for form in forms:
        query |= Q(before_text__icontains=form) | Q(after_text__icontains=form)
        query |= Q(object_repr__icontains=form)
    return AuditEntry.objects.annotate(
        before_text=Cast("before", TextField()), after_text=Cast("after", TextField())
    ).filter(query)


@transaction.atomic
def delete_account(user: User, *, actor: User | None) -> str:
    """Erase a person's account: contact details removed everywhere, what the network must
    keep (minutes, decisions, the audit trail) kept under a pseudonym. Returns it.

    The person themselves, or a network administrator on their request.
    """
    if not permissions.can_delete_account(actor, user):
        raise PermissionDenied
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise ValidationError(_("This account has already been deleted."))
    reasons = deletion_blockers(user)
    if reasons:
        raise ValidationError(reasons)
    name = pseudonym(user)
    person = getattr(user, "person", None)
    first_name, last_name = user.first_name, user.last_name
    person_first, person_last = (person.first_name, person.last_name) if person else ("", "")
    contact = {user.email.strip().lower()}
    if person is not None:
        contact |= {value.strip().lower() for value in (person.email, person.phone) if value}
        person.first_name, person.last_name = name, ""
        person.email = person.phone = person.position = ""
        person.user = None
        person.save()
    # Circular deliveries keep their count, not the address.
    Delivery.objects.filter(email__in=contact).update(email=f"erased-{user.pk}@invalid", name=name)
    Invitation.objects.filter(email__iexact=user.email).delete()
    for model in (Follow, Notification, NotificationMail, Preference, DataExport, RoleAssignment):
        model.objects.filter(user=user).delete()
    # The audit trail stays, without the person's contact details and under the pseudonym,
    # in the entries about them and in every other entry that names them.
    full_names = {f"{first_name} {last_name}", f"{person_first} {person_last}"}
    names = [full_name.strip() for full_name in full_names if " " in full_name.strip()]
    about = AuditEntry.objects.filter(
        Q(object_type="accounts.user", object_id=str(user.pk))
        | (Q(object_type="network.person", object_id=str(person.pk)) if person else Q(pk=None))
    )
    for entry in {*about, *_entries_mentioning(contact | set(names))}:
        entry.before = _scrub(entry.before, contact, names, name)
        entry.after = _scrub(entry.after, contact, names, name)
        entry.object_repr = (
            name
            if entry.object_type in ("accounts.user", "network.person")
            and entry.object_id in (str(user.pk), str(getattr(person, "pk", "")))
            else _replace_names(entry.object_repr, names, name)
        )
        entry.save(update_fields=["before", "after", "object_repr"])
    user.email = f"erased-{user.pk}@invalid"
    user.first_name, user.last_name = name, ""
    user.is_active = False
    user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
    record(
        "privacy.account.deleted",
        user,
        actor=actor,
        after={"pseudonym": name},
    )
    return name
