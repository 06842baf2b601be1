"""Partnership activities as iCalendar events: in the network calendar and one file each.

The meetings app writes the feed; this module gives it the lines of the activities'
events (all-day, like external events), by the platform's writer (`entrevilles.ical`).
"""

from django.conf import settings
from django.utils import timezone

from entrevilles import ical
from learning.models import Activity, PartnershipStatus

# Proposals are not in anyone's calendar yet; closed partnerships keep their past activities.
LISTED = (
    PartnershipStatus.AGREED,
    PartnershipStatus.ACTIVE,
    PartnershipStatus.COMPLETED,
    PartnershipStatus.CLOSED_EARLY,
)


def _event_lines(activity: Activity, stamp: str) -> list[str]:
    partnership = activity.partnership
    return ical.all_day_event(
        uid=f"partnership-activity-{activity.pk}@entrevilles",
        stamp=stamp,
        starts_on=activity.starts_on,
        ends_on=activity.ends_on,
        summary=f"{activity.title} ({activity.get_kind_display()})",
        place=activity.place,
        description=partnership.title,
        url=f"{settings.SITE_URL}{partnership.get_absolute_url()}",
        last_modified=activity.updated_at,
    )


def activity_event_lines(partnerships, *, since=None, commission=None, limit: int = 500):
    """VEVENT lines of the activities of these partnerships (a queryset of visible ones)."""
    activities = Activity.objects.filter(
        partnership__in=partnerships.filter(status__in=LISTED).values("pk")
    ).select_related("partnership")
    if since is not None:
        activities = activities.filter(ends_on__gte=since)
    if commission is not None:
        activities = activities.filter(partnership__facilitating_commission=commission)
    stamp = ical.utc(timezone.now())
    lines: list[str] = []
    for activity in activities.order_by("starts_on", "id")[:limit]:
        lines += _event_lines(activity, stamp)
    return lines


def partnership_calendar(partnership) -> bytes:
    """One partnership's activities as a calendar file."""
    stamp = ical.utc(timezone.now())
    lines: list[str] = []
    for activity in partnership.activities.order_by("starts_on", "id"):
        activity.partnership = partnership
        lines += _event_lines(activity, stamp)
    return ical.calendar(partnership.title, "Partnerships", lines)


def network_calendar_lines(user, since, commission=None) -> list[str]:
    """The activities of the partnerships `user` may see, for the network calendar."""
    from learning.partnerships.permissions import visible_partnerships

    return activity_event_lines(visible_partnerships(user), since=since, commission=commission)
