"""Writes to accounts: every change goes through one of these functions.

Each function is atomic, writes its audit entry, and sends mail only once the
transaction has committed. Callers (views, the admin, commands) check permissions
with accounts.permissions first; these functions check only that the data is coherent.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from audit import services as audit

from . import invitations, permissions
from .models import Invitation, PersonalToken, Role, RoleAssignment, User
from .signals import role_granted

if TYPE_CHECKING:
    from django.db.models import Model
    from django_otp.plugins.otp_totp.models import TOTPDevice

logger = logging.getLogger(__name__)

INVITATION_VALIDITY = timedelta(days=14)


@transaction.atomic
def set_preferred_language(user: User, language: str, *, actor: User | None) -> User:
    """Remember the language a person reads the platform (and their e-mail) in."""
    if language not in settings.LANGUAGE_CODES:
        raise ValidationError(_("Unknown language."), code="invalid_language")
    if user.preferred_language == language:
        return user
    before = {"preferred_language": user.preferred_language}
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    audit.record(
        "accounts.user.language_changed",
        user,
        actor=actor,
        before=before,
        after={"preferred_language": language},
    )
    return user


def _check_scope(role: str, commission: Model | None, organisation: Model | None) -> None:
    if role not in Role.values:
        raise ValidationError(_("Unknown role."), code="invalid_role")
    if role == Role.NETWORK_ADMIN and (commission or organisation):
        raise ValidationError(_("A network administrator has no scope."), code="scope")
    if role in (Role.SECRETARIAT, Role.PRESIDENCY) and (commission is None or organisation):
        raise ValidationError(_("This role needs a commission."), code="scope")
    if role == Role.REPRESENTATIVE and (organisation is None or commission):
        raise ValidationError(_("This role needs an organisation."), code="scope")


@transaction.atomic
def grant_role(
    user: User,
    role: str,
    *,
    commission: Model | None = None,
    organisation: Model | None = None,
    actor: User | None,
) -> RoleAssignment:
    """Give `user` a role in a scope; granting a role already held changes nothing."""
    _check_scope(role, commission, organisation)
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user,
        role=role,
        commission=commission,  # type: ignore[misc]  # a commissions.Commission, which accounts' layer cannot import to name
        organisation=organisation,
    )
    if created:
        audit.record(
            "accounts.role.granted",
            assignment,
            actor=actor,
            after={
                "user": user.email,
                "role": role,
                "commission_id": getattr(commission, "pk", None),
                "organisation_id": getattr(organisation, "pk", None),
            },
            commission=commission,
        )
        permissions.forget_scopes(user)
        role_granted.send(sender=RoleAssignment, assignment=assignment)
    return assignment


@transaction.atomic
def withdraw_role(assignment: RoleAssignment, *, actor: User | None) -> None:
    """Take a role away from its holder."""
    before = {
        "user": assignment.user.email,
        "role": assignment.role,
        "commission_id": assignment.commission_id,
        "organisation_id": assignment.organisation_id,
    }
    audit.record(
        "accounts.role.withdrawn",
        assignment,
        actor=actor,
        before=before,
        commission=assignment.commission,
    )
    assignment.delete()
    permissions.forget_scopes(assignment.user)


@transaction.atomic
def invite(
    email: str,
    *,
    role: str,
    commission: Model | None = None,
    organisation: Model | None = None,
    person: Model | None = None,
    language: str,
    actor: User | None,
) -> Invitation:
    """Invite someone by e-mail to hold `role`; the message leaves once committed.

    The link carries a random token and works for 14 days. Inviting an address that
    already has an account is allowed: the role is granted once its owner accepts.
    """
    _check_scope(role, commission, organisation)
    if language not in settings.LANGUAGE_CODES:
        raise ValidationError(_("Unknown language."), code="invalid_language")
    invitation = Invitation.objects.create(
        email=User.objects.normalize_email(email).lower(),
        role=role,
        commission=commission,  # type: ignore[misc]  # a commissions.Commission, which accounts' layer cannot import to name
        organisation=organisation,
        person=person,
        language=language,
        token=secrets.token_urlsafe(32),
        invited_by=actor if getattr(actor, "is_authenticated", False) else None,
        expires_at=timezone.now() + INVITATION_VALIDITY,
    )
    audit.record(
        "accounts.invitation.sent",
        invitation,
        actor=actor,
        after={
            "email": invitation.email,
            "role": role,
            "commission_id": invitation.commission_id,
            "organisation_id": invitation.organisation_id,
            "language": language,
        },
        commission=commission,
    )
    _send_invitation_on_commit(invitation)
    return invitation


@transaction.atomic
def resend_invitation(invitation: Invitation, *, actor: User | None) -> Invitation:
    """Send the same link again and give it another 14 days."""
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise ValidationError(_("This invitation is closed."), code="closed")
    before = {"expires_at": invitation.expires_at.isoformat()}
    invitation.expires_at = timezone.now() + INVITATION_VALIDITY
    invitation.save(update_fields=["expires_at"])
    audit.record(
        "accounts.invitation.resent",
        invitation,
        actor=actor,
        before=before,
        after={"expires_at": invitation.expires_at.isoformat()},
        commission=invitation.commission,
    )
    _send_invitation_on_commit(invitation)
    return invitation


@transaction.atomic
def revoke_invitation(invitation: Invitation, *, actor: User | None) -> Invitation:
    """Make the link stop working; an accepted invitation cannot be revoked."""
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation was already accepted."), code="accepted")
    if invitation.revoked_at is not None:
        return invitation
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(
        "accounts.invitation.revoked",
        invitation,
        actor=actor,
        after={"revoked_at": invitation.revoked_at.isoformat()},
        commission=invitation.commission,
    )
    return invitation


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse(
        "accounts:accept_invitation", kwargs={"token": invitation.token}
    )


def _send_invitation_on_commit(invitation: Invitation) -> None:
    # The worker sends it. robust: a failure to queue must not turn a saved invitation
    # into an error page; the sender sees the invitation in the list and can resend it.
    from .tasks import send_invitation

    transaction.on_commit(lambda: send_invitation.enqueue(invitation.pk), robust=True)


def send_invitation_email(invitation_id: int) -> None:
    """Send the invitation in its own language (not the sender's)."""
    invitation = Invitation.objects.select_related("commission", "organisation", "invited_by").get(
        pk=invitation_id
    )
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "role": invitation.get_role_display(),
            "scope": str(invitation.scope or ""),
            "inviter": str(invitation.invited_by or ""),
            "url": invitation_url(invitation),
            "expires_at": invitation.expires_at,
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


class InvitationClosed(Exception):
    """The invitation can no longer be used: accepted, revoked or expired."""


def _check_open(invitation: Invitation) -> None:
    if invitation.status != "pending":
        raise InvitationClosed(invitation.status)


@transaction.atomic
def accept_invitation_as_new_user(
    invitation: Invitation, *, first_name: str, last_name: str, password: str
) -> User:
    """Create the invited person's login, link it to their directory entry, grant the role."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_open(invitation)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(_("An account already uses this e-mail address."), code="exists")
    user = User(
        email=invitation.email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        preferred_language=invitation.language,
    )
    validate_password(password, user)
    user.set_password(password)
    user.save()
    audit.record(
        "accounts.user.created",
        user,
        actor=user,
        after={"email": user.email, "invitation_id": invitation.pk},
    )
    invitations.directory().link_login(invitation, user)
    return _close(invitation, user)


@transaction.atomic
def accept_invitation_as_existing_user(invitation: Invitation, *, user: User) -> User:
    """Grant the invitation's role to the account that already uses its address."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_open(invitation)
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(
            _("This invitation was sent to another e-mail address."), code="other_user"
        )
    invitations.directory().link_login(invitation, user)
    return _close(invitation, user)


def _close(invitation: Invitation, user: User) -> User:
    if invitation.role:
        grant_role(
            user,
            invitation.role,
            commission=invitation.commission,
            organisation=invitation.organisation,
            actor=invitation.invited_by,
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(
        "accounts.invitation.accepted",
        invitation,
        actor=user,
        after={"user_id": user.pk},
        commission=invitation.commission,
    )
    return user


# Second factor (django-otp): one authenticator app (TOTP) and a set of recovery codes.

RECOVERY_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def _new_recovery_code() -> str:
    return "".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _ in range(10))


def _readable(code: str) -> str:
    """Shown in two groups of five; typed with or without the dash."""
    return f"{code[:5]}-{code[5:]}"


@transaction.atomic
def start_totp_enrolment(user: User, *, actor: User | None) -> TOTPDevice:
    """The authenticator-app key to scan; it counts only once a code from it is confirmed.

    An enrolment already started is reused, so reloading the page keeps the same QR code.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=str(_("Authenticator app")), confirmed=False
        )
    return device


@transaction.atomic
def confirm_totp_enrolment(device: TOTPDevice, code: str, *, actor: User | None) -> list[str]:
    """Confirm the authenticator app with one of its codes; returns new recovery codes.

    Any earlier authenticator app and recovery codes of the person stop working.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if device.confirmed:
        raise ValidationError(_("This authenticator app is already confirmed."), code="confirmed")
    if not device.verify_token(_digits(code)):
        raise ValidationError(
            _(
                "This code is not the one the app shows now. Check the clock of your phone and try again."
            ),
            code="invalid_code",
        )
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(
        "accounts.second_factor.enabled", device.user, actor=actor, after={"device": device.name}
    )
    return _replace_recovery_codes(device.user)


@transaction.atomic
def regenerate_recovery_codes(user: User, *, actor: User | None) -> list[str]:
    """A new set of recovery codes; the previous ones stop working."""
    codes = _replace_recovery_codes(user)
    audit.record("accounts.second_factor.recovery_codes_renewed", user, actor=actor)
    return codes


def _replace_recovery_codes(user: User) -> list[str]:
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    # The device stays (its codes change): a session whose code step took a recovery
    # code keeps counting as passed (accounts.authentication.second_factor_passed).
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=str(_("Recovery codes")))
    else:
        StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.token_set.all().delete()
    codes = [_new_recovery_code() for _ in range(settings.RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return [_readable(code) for code in codes]


@transaction.atomic
def remove_second_factor(user: User, *, actor: User | None) -> None:
    """Forget the person's authenticator app and recovery codes (a lost phone, or their
    own choice when their roles do not require a second factor)."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    StaticDevice.objects.filter(user=user).delete()
    if removed:
        audit.record("accounts.second_factor.removed", user, actor=actor)


def _digits(code: str) -> str:
    """What people type, without the spaces some apps show in the middle."""
    return "".join(code.split())


# Personal API tokens


@transaction.atomic
def create_personal_token(
    user: User, *, name: str, actor: User | None
) -> tuple[PersonalToken, str]:
    """A new API key for `user`; returns the token row and the key, which is never stored."""
    from .tokens import digest_of, new_key

    name = name.strip()
    if not name:
        raise ValidationError(_("Give the token a name."), code="name")
    key = new_key()
    token = PersonalToken.objects.create(
        user=user, name=name[:100], digest=digest_of(key), prefix=key[:8]
    )
    audit.record("accounts.token.created", token, actor=actor, after={"name": token.name})
    return token, key


@transaction.atomic
def revoke_personal_token(token: PersonalToken, *, actor: User | None) -> None:
    """The key stops working at once."""
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record("accounts.token.revoked", token, actor=actor, after={"name": token.name})
