"""iCalendar (RFC 5545) feeds of meetings.

The feed is written line by line rather than through a component tree: the network's
calendar holds up to 1,500 entries and a tree of property objects took over a second to
serialise. The tests read every feed back with the icalendar parser.
"""

from datetime import UTC, timedelta

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from .models import MeetingStatus


def _text(value) -> str:
    """A TEXT value escaped as RFC 5545 section 3.3.11 requires."""
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded (section 3.1), never inside a character."""
    if len(line.encode()) <= 75:
        return line
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        if size + width > (75 if not parts else 74):
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def build_calendar(meetings, *, name: str, events=(), extra_lines=()) -> bytes:
    stamp = _utc(timezone.now())
    detail_prefix = settings.SITE_URL + reverse("meetings:detail", args=[0])[:-2]
    event_prefix = settings.SITE_URL + reverse("meetings:event", args=[0])[:-2]
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Entrevilles//Meetings//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_text(name)}",
    ]
    for meeting in meetings:
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{meeting.pk}@entrevilles",
            f"DTSTAMP:{stamp}",
            # Times in UTC: every client converts them; the venue's zone is in the description.
            f"DTSTART:{_utc(meeting.starts_at)}",
            f"DTEND:{_utc(meeting.ends_at)}",
            f"SUMMARY:{_text(meeting.title)}",
        ]
        where = ", ".join(part for part in [meeting.venue, str(meeting.host or "")] if part)
        if where:
            lines.append(f"LOCATION:{_text(where)}")
        description = meeting.purpose or ""
        if meeting.online_url:
            description = f"{description}\n{meeting.online_url}".strip()
        if description:
            lines.append(f"DESCRIPTION:{_text(description)}")
        status = "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED"
        lines += [
            f"URL:{detail_prefix}{meeting.pk}/",
            f"STATUS:{status}",
            f"LAST-MODIFIED:{_utc(meeting.updated_at)}",
            "END:VEVENT",
        ]
    for external in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:external-event-{external.pk}@entrevilles",
            f"DTSTAMP:{stamp}",
            # All-day event: DTEND is the day after the last day (RFC 5545).
            f"DTSTART;VALUE=DATE:{external.starts_on:%Y%m%d}",
            f"DTEND;VALUE=DATE:{external.ends_on + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_text(external.title)}",
        ]
        if external.place:
            lines.append(f"LOCATION:{_text(external.place)}")
        lines += [
            f"DESCRIPTION:{_text(external.organiser)}",
            f"URL:{event_prefix}{external.pk}/",
            "END:VEVENT",
        ]
    # Other apps' events (partnership activities), as ready VEVENT lines.
    lines += extra_lines
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode()


def ical_response(meetings, request, *, name: str, events=(), extra_lines=()) -> HttpResponse:
    body = build_calendar(meetings, name=str(name), events=events, extra_lines=extra_lines)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    return response
