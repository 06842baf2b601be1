"""What visitors see of the learning programme's public pages, rendered once and kept.

Visitors (not signed in) all see the same needs list, agenda, list of partnerships,
partnership page and world map: the content of each is rendered once per path, query and
language and kept (entrevilles.fragments) until a row it shows changes. Signed-in readers
see what their roles allow, built for them on each request, except the dashboards: the
programme's and each commission's are kept the same way for every reader with the same
roles (learning.dashboards.views).

`register()` (from LearningConfig.ready) names the models each page reads; writes that
send no signal (organisations written in bulk, experiences imported) call `forget_all()`.
"""

from __future__ import annotations

from collections.abc import Callable

from entrevilles import fragments

NEEDS = "learning:needs"
AGENDA = "learning:agenda"
PARTNERSHIPS = "learning:partnerships"
PARTNERSHIP = "learning:partnership"
MAP = "learning:map"
DASHBOARDS = "learning:dashboards"
# The slug and id of every commission, for the dashboards' addresses (dashboards.views).
DASHBOARD_COMMISSIONS = "learning:dashboard-commissions"
NAMES = (NEEDS, AGENDA, PARTNERSHIPS, PARTNERSHIP, MAP, DASHBOARDS)

# A page no change has touched is still built again after this long.
KEPT_SECONDS = 600


def for_visitors[T](request, name: str, build: Callable[[], T]) -> T:
    """`build()` for a signed-in reader; for a visitor, as last built for this path,
    query and language since the page's data last changed."""
    return fragments.for_visitors(
        request, name, build, request.path, request.GET.urlencode(), timeout=KEPT_SECONDS
    )


def forget_all(ids=None, fields=None) -> None:
    """After a write that sends no signal (also a subscriber of network.changes)."""
    for name in NAMES:
        fragments.forget(name)


def register() -> None:
    from accounts.models import RoleAssignment, User
    from actions.models import Action
    from commissions.models import Commission
    from learning import models as learning
    from library.models import Experience, Theme
    from network import changes
    from network.models import Country, Organisation, Person, Region

    partnership_rows = [
        learning.Partnership,
        learning.PartnershipParty,
        learning.PartnershipStatusChange,
        Commission,
        Theme,
        Region,
    ]
    pages = {
        NEEDS: [learning.LearningNeed, Theme, Region, Country, Organisation],
        AGENDA: [
            learning.LearningNeed,
            learning.AgendaPriority,
            Experience,
            Theme,
            Region,
            Organisation,
            Commission,
        ],
        PARTNERSHIPS: partnership_rows,
        PARTNERSHIP: [
            *partnership_rows,
            learning.Milestone,
            learning.Activity,
            learning.LearningNote,
            learning.Evaluation,
            learning.MonitoringReport,
            learning.LearningNeed,
            Experience,
            Organisation,
            Person,
            User,
            RoleAssignment,
        ],
        MAP: [
            *partnership_rows,
            learning.LearningGroup,
            learning.GroupMembership,
            Organisation,
        ],
        DASHBOARDS: [
            *partnership_rows,
            learning.LearningGroup,
            learning.GroupMembership,
            learning.GroupConclusion,
            # A conclusion's action: open until it is done.
            Action,
            learning.MonitoringReport,
            learning.AssessmentScore,
            learning.AssessmentCriterion,
        ],
    }
    for name, models in pages.items():
        fragments.forget_when_changed(name, models)
    fragments.forget_when_changed(DASHBOARD_COMMISSIONS, [Commission])
    changes.subscribe(forget_all)
