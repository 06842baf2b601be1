"""Who may read the programme's dashboards: the whole programme's, a commission's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import (
    is_network_admin,
    scopes,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.permissions import AnyUser
    from commissions.models import Commission


# The programme-wide dashboard is the administrators' (the World Secretariat), a
# commission's is its secretariat's and presidency's.


def can_view_programme_dashboard(user: AnyUser) -> bool:
    """The programme-wide dashboard is the World Secretariat's (network administrators)."""
    return is_network_admin(user)


def can_view_commission_dashboard(user: AnyUser, commission: Commission) -> bool:
    s = scopes(user)
    return s.network_admin or commission.pk in s.secretariat or commission.pk in s.presidency


def dashboard_commissions(user: AnyUser) -> QuerySet[Commission]:
    """The commissions whose learning dashboard this user may open."""
    from commissions.models import Commission

    if is_network_admin(user):
        return Commission.objects.all()
    s = scopes(user)
    return Commission.objects.filter(pk__in=s.secretariat | s.presidency)
