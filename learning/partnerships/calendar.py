"""Partnership activities as iCalendar events: in the network calendar and one file each.

The meetings app writes the feed; this module gives it the lines of the activities'
events (all-day, like external events), escaped and folded by the same helpers.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from learning.models import Activity, PartnershipStatus
from meetings.calendar import _fold, _text, _utc

# Proposals are not in anyone's calendar yet; closed partnerships keep their past activities.
LISTED = (
    PartnershipStatus.AGREED,
    PartnershipStatus.ACTIVE,
    PartnershipStatus.COMPLETED,
    PartnershipStatus.CLOSED_EARLY,
)


def _event_lines(activity: Activity, stamp: str) -> list[str]:
    partnership = activity.partnership
    lines = [
        "BEGIN:VEVENT",
        f"UID:partnership-activity-{activity.pk}@entrevilles",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{activity.starts_on:%Y%m%d}",
        f"DTEND;VALUE=DATE:{activity.ends_on + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_text(f'{activity.title} ({activity.get_kind_display()})')}",
    ]
    if activity.place:
        lines.append(f"LOCATION:{_text(activity.place)}")
    lines += [
        f"DESCRIPTION:{_text(partnership.title)}",
        f"URL:{settings.SITE_URL}{partnership.get_absolute_url()}",
        f"LAST-MODIFIED:{_utc(activity.updated_at)}",
        "END:VEVENT",
    ]
    return lines


def activity_event_lines(partnerships, *, since=None, commission=None, limit: int = 500):
    """VEVENT lines of the activities of these partnerships (a queryset of visible ones)."""
    activities = Activity.objects.filter(
        partnership__in=partnerships.filter(status__in=LISTED).values("pk")
    ).select_related("partnership")
    if since is not None:
        activities = activities.filter(ends_on__gte=since)
    if commission is not None:
        activities = activities.filter(partnership__facilitating_commission=commission)
    stamp = _utc(timezone.now())
    lines: list[str] = []
    for activity in activities.order_by("starts_on", "id")[:limit]:
        lines += _event_lines(activity, stamp)
    return lines


def partnership_calendar(partnership) -> bytes:
    """One partnership's activities as a calendar file."""
    stamp = _utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Entrevilles//Partnerships//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_text(partnership.title)}",
    ]
    for activity in partnership.activities.order_by("starts_on", "id"):
        activity.partnership = partnership
        lines += _event_lines(activity, stamp)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode()


def network_calendar_lines(user, since, commission=None) -> list[str]:
    """The activities of the partnerships `user` may see, for the network calendar."""
    from learning.permissions import visible_partnerships

    return activity_event_lines(visible_partnerships(user), since=since, commission=commission)
