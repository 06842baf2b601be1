"""Who may state, edit, translate and read learning needs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import (
    is_any_secretariat,
    is_network_admin,
    is_network_member,
    represents,
    scopes,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.permissions import AnyUser
    from learning.models import (
        LearningNeed,
    )
    from network.models import Organisation


# The secretariat sees every need; a city sees its own and the published ones; the public
# sees published needs.


def visible_learning_needs(user: AnyUser) -> QuerySet[LearningNeed]:
    """The learning needs this user may read, as a queryset."""
    from django.db.models import Q

    from learning.models import LearningNeed, NeedStatus, NeedVisibility

    if is_network_admin(user) or is_any_secretariat(user):
        return LearningNeed.objects.all()
    own = scopes(user).representative
    if not own:
        return LearningNeed.objects.published()
    # One condition rather than a sub-select, so that the planner keeps the date index.
    return LearningNeed.objects.filter(
        (Q(visibility=NeedVisibility.PUBLISHED) & ~Q(status=NeedStatus.WITHDRAWN))
        | Q(city_id__in=own)
    )


def can_create_learning_need(user: AnyUser, city: Organisation) -> bool:
    """City officers state their own city's needs; the secretariat may do it for a city."""
    return is_network_admin(user) or is_any_secretariat(user) or represents(user, city)


def can_edit_learning_need(user: AnyUser, need: LearningNeed) -> bool:
    return is_network_admin(user) or is_any_secretariat(user) or represents(user, need.city)


def can_state_learning_needs(user: AnyUser) -> bool:
    """Whether the "state a need" page is offered at all (for one city or on behalf of one)."""
    s = scopes(user)
    return bool(s.network_admin or s.secretariat or s.representative)


def can_state_needs_for_any_city(user: AnyUser) -> bool:
    """The secretariat and administrators state needs on behalf of any city."""
    return is_network_admin(user) or is_any_secretariat(user)


def can_change_learning_need_status(user: AnyUser, need: LearningNeed) -> bool:
    """The city and the secretariat move a need along (matched, in partnership, met...)."""
    return can_edit_learning_need(user, need)


def can_translate_learning_need(user: AnyUser, need: LearningNeed) -> bool:
    """The city or the secretariat adds a translation of the need's texts."""
    return can_edit_learning_need(user, need)


def can_see_who_changed_learning_needs(user: AnyUser) -> bool:
    """Names in a need's history are for members of the network; the public sees dates."""
    return is_network_member(user)


def can_see_private_learning_demand(user: AnyUser) -> bool:
    """The agenda counts private needs too for those who may read every need."""
    return is_network_admin(user) or is_any_secretariat(user)
