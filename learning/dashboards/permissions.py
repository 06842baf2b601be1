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
    return can_view_dashboard_of_commission(user, commission.pk)


def can_view_dashboard_of_commission(user: AnyUser, commission_id: int) -> bool:
    """`can_view_commission_dashboard` by the commission's id (its row need not be read)."""
    s = scopes(user)
    return s.network_admin or commission_id in s.secretariat or commission_id in s.presidency


def dashboard_commissions(user: AnyUser) -> QuerySet[Commission]:
    """The commissions whose learning dashboard this user may open."""
    from commissions.models import Commission

    if is_network_admin(user):
        return Commission.objects.all()
    s = scopes(user)
    return Commission.objects.filter(pk__in=s.secretariat | s.presidency)


def dashboard_audience(user: AnyUser) -> str:
    """What decides what a dashboard shows its reader, as a key of what is kept of it: the
    groups (`visible_learning_groups`), the reports (`partnerships_with_reports_for`) and
    the commissions (`dashboard_commissions`) one may see follow one's roles and nothing
    else, so readers with the same roles read the same dashboard."""
    s = scopes(user)
    if s.network_admin:
        return "admin"
    return ";".join(
        f"{name}:{','.join(str(pk) for pk in sorted(ids))}"
        for name, ids in (
            ("secretariat", s.secretariat),
            ("presidency", s.presidency),
            ("representative", s.representative),
        )
    )
