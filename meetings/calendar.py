"""iCalendar (RFC 5545) feeds of meetings, written by the platform's writer
(`entrevilles.ical`)."""

from types import SimpleNamespace

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from entrevilles import ical, languages

from .models import MeetingStatus


def meeting_rows(meetings):
    """The meetings as plain rows with what build_calendar reads: for the network feed,
    reading a thousand meetings as model instances cost more than writing the feed."""
    order = languages.fallback_order()
    translated = [f"{name}_{code}" for name in ("title", "purpose") for code in order]
    hosts = [f"host__name_{code}" for code in order]
    for row in meetings.values(
        "pk",
        *translated,
        *hosts,
        "host__name",
        "venue",
        "starts_at",
        "ends_at",
        "online_url",
        "status",
        "updated_at",
    ):
        yield SimpleNamespace(
            pk=row["pk"],
            title=languages.first_translation(row, "title", order),
            purpose=languages.first_translation(row, "purpose", order),
            host=languages.first_translation(row, "host__name", order) or None,
            venue=row["venue"],
            starts_at=row["starts_at"],
            ends_at=row["ends_at"],
            online_url=row["online_url"],
            status=row["status"],
            updated_at=row["updated_at"],
        )


def build_calendar(meetings, *, name: str, events=(), extra_lines=()) -> bytes:
    stamp = ical.utc(timezone.now())
    detail_prefix = settings.SITE_URL + reverse("meetings:detail", args=[0])[:-2]
    event_prefix = settings.SITE_URL + reverse("meetings:event", args=[0])[:-2]
    lines = []
    for meeting in meetings:
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{meeting.pk}@entrevilles",
            f"DTSTAMP:{stamp}",
            # Times in UTC: every client converts them; the venue's zone is in the description.
            f"DTSTART:{ical.utc(meeting.starts_at)}",
            f"DTEND:{ical.utc(meeting.ends_at)}",
            f"SUMMARY:{ical.text(meeting.title)}",
        ]
        where = ", ".join(part for part in [meeting.venue, str(meeting.host or "")] if part)
        if where:
            lines.append(f"LOCATION:{ical.text(where)}")
        description = meeting.purpose or ""
        if meeting.online_url:
            description = f"{description}\n{meeting.online_url}".strip()
        if description:
            lines.append(f"DESCRIPTION:{ical.text(description)}")
        status = "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED"
        lines += [
            f"URL:{detail_prefix}{meeting.pk}/",
            f"STATUS:{status}",
            f"LAST-MODIFIED:{ical.utc(meeting.updated_at)}",
            "END:VEVENT",
        ]
    for external in events:
        lines += ical.all_day_event(
            uid=f"external-event-{external.pk}@entrevilles",
            stamp=stamp,
            starts_on=external.starts_on,
            ends_on=external.ends_on,
            summary=external.title,
            place=external.place,
            description=external.organiser,
            url=f"{event_prefix}{external.pk}/",
        )
    # Other apps' events (partnership activities), as ready VEVENT lines.
    lines += extra_lines
    return ical.calendar(name, "Meetings", lines)


def ical_response(meetings, request, *, name: str, events=(), extra_lines=()) -> HttpResponse:
    body = build_calendar(meetings, name=str(name), events=events, extra_lines=extra_lines)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    return response
