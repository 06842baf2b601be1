"""Who may draft, read, approve and send circulars, and see their deliveries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import commission_ids_of, is_network_admin, scopes

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.db.models import QuerySet

    from accounts.permissions import AnyUser
    from circulars.models import Circular
    from commissions.models import Commission

# A circular speaks in the network's name, or in the name of the commissions it names.
# - Drafting: network administrators draft anything; a secretariat drafts circulars on
#   behalf of commissions that include one of its own (joint circulars, like joint
#   meetings). Circulars in the network's own name are the administrators' alone.
# - Approving: whoever may speak for every name on it: network administrators always; a
#   secretariat only when it is the secretariat of every commission named (its own
#   commission's circulars). A joint circular of two commissions with two secretariats
#   is approved by the World Secretariat, as the seed's circular was sent by it.
# - Reading a draft: those who may draft it, and the presidencies of its commissions.
# - Nobody approves or sends what they cannot see: the approval check implies the view.
# Callers prefetch `circular.commissions`.


def can_create_circular(user: AnyUser) -> bool:
    s = scopes(user)
    return s.network_admin or bool(s.secretariat)


def can_open_circular_drafts(user: AnyUser) -> bool:
    """The list of drafts and sendings: those who write circulars and the presidencies
    who read their commissions' drafts."""
    s = scopes(user)
    return s.network_admin or bool(s.secretariat) or bool(s.presidency)


def can_draft_circular_for(user: AnyUser, commissions: Iterable[Commission]) -> bool:
    """May `user` write a circular on behalf of these commissions (none: the network)?"""
    s = scopes(user)
    if s.network_admin:
        return True
    ids = {commission.pk for commission in commissions}
    return bool(ids & s.secretariat)


def can_edit_circular(user: AnyUser, circular: Circular) -> bool:
    if circular.is_locked:
        return False
    return can_draft_circular_for(user, circular.commissions.all())


def can_view_circular(user: AnyUser, circular: Circular) -> bool:
    """The working view (drafts, audience, delivery log); the archive is public once sent."""
    s = scopes(user)
    if s.network_admin:
        return True
    ids = commission_ids_of(circular)
    return bool(ids & (s.secretariat | s.presidency))


def can_approve_circular(user: AnyUser, circular: Circular) -> bool:
    s = scopes(user)
    if s.network_admin:
        return True
    ids = commission_ids_of(circular)
    return bool(ids) and ids <= s.secretariat


def can_send_circular(user: AnyUser, circular: Circular) -> bool:
    """Start, stop and resume the sending of an approved circular; send a test."""
    return can_draft_circular_for(user, circular.commissions.all()) or can_approve_circular(
        user, circular
    )


def visible_circulars(user: AnyUser) -> QuerySet[Circular]:
    """The circulars whose working view this user may open, as a queryset."""
    from django.db.models import Q

    from circulars.models import Circular

    s = scopes(user)
    if s.network_admin:
        return Circular.objects.all()
    ids = s.secretariat | s.presidency
    if not ids:
        return Circular.objects.none()
    return Circular.objects.filter(
        Q(
            pk__in=Circular.commissions.through.objects.filter(commission_id__in=ids).values(
                "circular_id"
            )
        )
    )


def can_view_deliveries(user: AnyUser, circular: Circular) -> bool:
    """The per-recipient delivery log: those who may send the circular."""
    return can_send_circular(user, circular)


def can_manage_suppressions(user: AnyUser) -> bool:
    """Recording bounces and reading the suppression list: the network administrators."""
    return is_network_admin(user)
