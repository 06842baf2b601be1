"""Who holds which role where, and the rules of accounts themselves.

Roles and scopes (who is a secretariat of what, who represents whom) are read once per
request and cached on the user; every app's `permissions.py` builds its rules on them.
The rules of accounts' own objects (the back office, roles, invitations) are here too.
Each function takes the user first (anonymous users included).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, TypeGuard

from django.db.models.signals import pre_save

from . import invitations
from .models import Invitation, Role, RoleAssignment

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Model, QuerySet
    from django.db.models.fields.related_descriptors import ManyRelatedManager

    from .models import User

# Whom a rule is asked about: a signed-in user, an anonymous visitor, or None (the system).
type AnyUser = User | AnonymousUser | None


class Scopes:
    """The roles a user holds, loaded in one query."""

    def __init__(
        self,
        user: AnyUser,
        assignments: Iterable[tuple[str, Any, Any]] | None = None,
    ) -> None:
        self.network_admin = False
        self.secretariat: set[int] = set()
        self.presidency: set[int] = set()
        self.representative: set[int] = set()
        if user is None or not user.is_authenticated or not user.is_active:
            return
        if user.is_superuser:
            self.network_admin = True
        if assignments is None:
            assignments = RoleAssignment.objects.filter(user=user).values_list(
                "role", "commission_id", "organisation_id"
            )
        for role, commission_id, organisation_id in assignments:
            if role == Role.NETWORK_ADMIN:
                self.network_admin = True
            elif role == Role.SECRETARIAT:
                self.secretariat.add(commission_id)
            elif role == Role.PRESIDENCY:
                self.presidency.add(commission_id)
            elif role == Role.REPRESENTATIVE:
                self.representative.add(organisation_id)


def scopes(user: AnyUser) -> Scopes:
    """The user's roles, read once and cached on the user object for the request."""
    if user is None:
        return Scopes(None)
    cached = getattr(user, "_entrevilles_scopes", None)
    if cached is None:
        if is_authenticated(user):
            # A signed-in request's user came with their roles (accounts.kept_users).
            held = getattr(user, "_entrevilles_kept_assignments", None)
            cached = Scopes(user, held if held is not None else kept_assignments(user.pk))
            user._entrevilles_scopes = cached  # type: ignore[attr-defined]  # a per-request cache, not a field
        else:
            cached = Scopes(user)
    return cached


def roles_fragment(user_id: int) -> str:
    """The name under which a user's roles are kept between requests (entrevilles.fragments)."""
    return f"accounts:roles:{user_id}"


def kept_assignments(user_id: int) -> list[tuple[str, Any, Any]]:
    """(role, commission id, organisation id) of each role the user holds, kept between
    requests until one of their roles is granted or withdrawn (forget_kept_assignments).
    A signed-in request has them already: they are kept with its person's row
    (accounts.kept_users); this serves the rules asked about anyone else."""
    from entrevilles import fragments

    return fragments.remember(
        roles_fragment(user_id),
        lambda: list(
            RoleAssignment.objects.filter(user_id=user_id).values_list(
                "role", "commission_id", "organisation_id"
            )
        ),
    )


def forget_kept_assignments(sender: object, instance: RoleAssignment, **kwargs: Any) -> None:
    """A role granted, changed or withdrawn: its holder's next request reads their roles
    afresh, here and with their row (connected in AccountsConfig.ready)."""
    from entrevilles import fragments

    from . import kept_users

    def forget(user_id: int) -> None:
        fragments.forget(roles_fragment(user_id))
        kept_users.forget(user_id)

    forget(instance.user_id)
    if kwargs.get("signal") is pre_save and instance.pk is not None:
        # A role moved to another person (the back office allows it) leaves the first.
        for user_id in RoleAssignment.objects.filter(pk=instance.pk).values_list(
            "user_id", flat=True
        ):
            forget(user_id)


def remember_scopes(users: Iterable[User]) -> None:
    """Read the roles of many users in one query and cache them on each, as `scopes` does
    one user at a time (the worker asks the same rules for hundreds of people at once)."""
    users = [user for user in users if user.is_authenticated and user.is_active]
    held: dict[int, list[tuple[str, Any, Any]]] = {user.pk: [] for user in users}
    for user_id, role, commission_id, organisation_id in RoleAssignment.objects.filter(
        user_id__in=held
    ).values_list("user_id", "role", "commission_id", "organisation_id"):
        held[user_id].append((role, commission_id, organisation_id))
    for user in users:
        user._entrevilles_scopes = Scopes(user, held[user.pk])  # type: ignore[attr-defined]  # the same cache as `scopes`


def forget_scopes(user: AnyUser) -> None:
    """Drop the cached roles after they change (tests, role grants)."""
    if user is not None and hasattr(user, "_entrevilles_scopes"):
        del user._entrevilles_scopes
    if user is not None and hasattr(user, "_entrevilles_kept_assignments"):
        del user._entrevilles_kept_assignments  # the roles read with the request's user


def is_authenticated(user: AnyUser) -> TypeGuard[User]:
    return user is not None and user.is_authenticated and user.is_active


def is_network_admin(user: AnyUser) -> bool:
    """The World Secretariat's administrators (and superusers): every scope."""
    return scopes(user).network_admin


def is_network_member(user: AnyUser) -> bool:
    """Signed-in people with any role count as members of the network for visibility."""
    if not is_authenticated(user):
        return False
    s = scopes(user)
    return bool(
        s.network_admin
        or s.secretariat
        or s.presidency
        or s.representative
        or getattr(user, "person", None) is not None
    )


def is_secretariat_of(user: AnyUser, commission: Model) -> bool:
    """Holds the secretariat role of this commission (administrators do not count)."""
    return commission.pk in scopes(user).secretariat


def is_presidency_of(user: AnyUser, commission: Model) -> bool:
    """Holds the presidency role of this commission (administrators do not count)."""
    return commission.pk in scopes(user).presidency


def represents(user: AnyUser, organisation: Model) -> bool:
    """Acts for this organisation as its representative."""
    return organisation.pk in scopes(user).representative


def must_use_second_factor(user: AnyUser) -> bool:
    """Those who hold power over others' data (administrators, secretariats, back-office
    staff) cannot work without a second factor; anyone else may choose one."""
    from django.conf import settings

    if not is_authenticated(user):
        return False
    if user.is_staff or user.is_superuser:
        return True
    s = scopes(user)
    required = set(settings.SECOND_FACTOR_REQUIRED_ROLES)
    return bool(
        (Role.NETWORK_ADMIN in required and s.network_admin)
        or (Role.SECRETARIAT in required and s.secretariat)
        or (Role.PRESIDENCY in required and s.presidency)
        or (Role.REPRESENTATIVE in required and s.representative)
    )


def can_remove_own_second_factor(user: AnyUser) -> bool:
    """Only people whose roles do not require one may switch their second factor off."""
    return is_authenticated(user) and not must_use_second_factor(user)


def can_read_mailbox(user: AnyUser) -> bool:
    """The local mail sink's messages are for network administrators only."""
    return is_network_admin(user)


# accounts: the back office, roles and invitations


def can_use_admin(user: AnyUser) -> bool:
    """The admin back office opens to network administrators and to secretariats.

    Django's `is_staff` flag is not used: roles decide. Secretariats see only the models
    whose admin asks these functions for their commission's objects; the user, role
    and invitation screens stay with network administrators.
    """
    s = scopes(user)
    return s.network_admin or bool(s.secretariat)


# --- meetings ---------------------------------------------------------------------------
# A meeting belongs to one or several commissions; their secretariats manage it. Callers
# prefetch `meeting.commissions` so that these checks cost no query.


class BelongsToCommissions(Protocol):
    """A meeting, a workstream: an object owned by one or several commissions."""

    @property
    def commissions(self) -> ManyRelatedManager[Any, Any]: ...


def commission_ids_of(obj: BelongsToCommissions) -> set[int]:
    return {commission.pk for commission in obj.commissions.all()}


def back_office_commission_ids(user: AnyUser) -> set[int] | None:
    """Commissions whose objects this user manages in the back office: None means all
    (network administrators), otherwise the commissions of their secretariat roles."""
    s = scopes(user)
    return None if s.network_admin else set(s.secretariat)


def can_manage_commission_in_back_office(user: AnyUser, commission_id: int | None) -> bool:
    """A network administrator manages every commission's objects in the back office;
    a secretariat only its own commissions'."""
    managed = back_office_commission_ids(user)
    return managed is None or (commission_id is not None and commission_id in managed)


def can_manage_roles(user: AnyUser) -> bool:
    """Granting and withdrawing roles in the back office: network administrators only."""
    return is_network_admin(user)


def can_invite(
    user: AnyUser,
    role: str,
    commission: Model | None = None,
    organisation: Model | None = None,
) -> bool:
    """May `user` invite someone to hold `role` in this scope?

    - Network administrators invite to any role, including network administrator.
    - A commission secretariat invites the secretariat and presidency of its own
      commission, and representatives of the organisations that are members of it.
    - A representative invites other representatives of its own organisation.
    - Presidencies and people without a role invite nobody.

    The scope must fit the role (a commission for secretariat and presidency, an
    organisation for a representative, nothing for an administrator); anything else is
    refused, so a forged form cannot create an inconsistent role.
    """
    if not is_authenticated(user):
        return False
    if role == Role.NETWORK_ADMIN:
        return commission is None and organisation is None and is_network_admin(user)
    if role in (Role.SECRETARIAT, Role.PRESIDENCY):
        if commission is None or organisation is not None:
            return False
        return is_network_admin(user) or is_secretariat_of(user, commission)
    if role == Role.REPRESENTATIVE:
        if organisation is None or commission is not None:
            return False
        if is_network_admin(user) or represents(user, organisation):
            return True
        return _is_secretariat_of_a_commission_of(user, organisation)
    return False


def _is_secretariat_of_a_commission_of(user: AnyUser, organisation: Model) -> bool:
    """A member of one of the user's commissions, or a party to a partnership one of them
    facilitates (so that a party nobody can receive yet gets a representative): what the
    apps registered with `accounts.invitations` answer."""
    managed = scopes(user).secretariat
    if not managed:
        return False
    return any(
        rows.filter(organisation_id=organisation.pk).exists()
        for rows in invitations.invitable_rows(managed)
    )


def can_invite_anyone(user: AnyUser) -> bool:
    """Whether the invitation pages are offered to this user at all."""
    s = scopes(user)
    return s.network_admin or bool(s.secretariat) or bool(s.representative)


def can_manage_invitation(user: AnyUser, invitation: Invitation) -> bool:
    """Resend or revoke: whoever could send this invitation today (its sender included
    only while they still hold the role that allowed it)."""
    return can_invite(user, invitation.role, invitation.commission, invitation.organisation)


def invitable_commissions(user: AnyUser) -> QuerySet[Any]:
    """Commissions whose secretariat or presidency this user may invite."""
    # The commissions, reached through the scope of a role: accounts imports no app above it.
    commissions = RoleAssignment.commission.field.related_model._default_manager.all()
    if is_network_admin(user):
        return commissions
    return commissions.filter(pk__in=scopes(user).secretariat)


def invitable_organisations(user: AnyUser) -> QuerySet[Any]:
    """Organisations whose representatives this user may invite."""
    from django.db.models import Q

    organisations = invitations.directory().organisations()
    if is_network_admin(user):
        return organisations
    s = scopes(user)
    invitable = Q(pk__in=s.representative)
    for rows in invitations.invitable_rows(s.secretariat):
        invitable |= Q(pk__in=rows.values("organisation_id"))
    return organisations.filter(invitable).distinct()


def visible_invitations(user: AnyUser) -> QuerySet[Invitation]:
    """The invitations listed to this user: all for administrators, else those in the
    scopes they may invite to."""
    from django.db.models import Q

    if is_network_admin(user):
        return Invitation.objects.all()
    s = scopes(user)
    if not (s.secretariat or s.representative):
        return Invitation.objects.none()
    return Invitation.objects.filter(
        Q(commission_id__in=s.secretariat)
        | Q(organisation_id__in=s.representative)
        | Q(organisation__commission_memberships__commission_id__in=s.secretariat)
    ).distinct()


def secretariat_commission_ids(user: AnyUser) -> set[int]:
    """The commissions whose secretariat the user is (none for a visitor)."""
    return set(scopes(user).secretariat)


def represented_organisation_ids(user: AnyUser) -> set[int]:
    """The organisations the user represents (none for a visitor)."""
    return set(scopes(user).representative)


def represents_id(user: AnyUser, organisation_id: int) -> bool:
    return organisation_id in scopes(user).representative


# --- library (experiences, documents) and search --------------------------------------


def is_any_secretariat(user: AnyUser) -> bool:
    return bool(scopes(user).secretariat)


def can_see_members_only_content(user: AnyUser) -> bool:
    return is_network_member(user)
