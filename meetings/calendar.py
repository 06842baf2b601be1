"""iCalendar (RFC 5545) feeds of meetings.

The feed is written line by line rather than through a component tree: the network's
calendar holds up to 1,500 entries and a tree of property objects took over a second to
serialise. The tests read every feed back with the icalendar parser.
"""

from datetime import UTC, timedelta
from types import SimpleNamespace

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

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


def _translated(row: dict, name: str, order: list[str]) -> str:
    """The first non-empty translation, in the fallback order modeltranslation follows."""
    for code in order:
        value = row.get(f"{name}_{code}")
        if value:
            return value
    return row.get(name) or ""


def meeting_rows(meetings):
    """The meetings as plain rows with what build_calendar reads: for the network feed,
    reading a thousand meetings as model instances cost more than writing the feed."""
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    order = list(dict.fromkeys([language, "en", "fr", "es"]))
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
            title=_translated(row, "title", order),
            purpose=_translated(row, "purpose", order),
            host=_translated(row, "host__name", order) or None,
            venue=row["venue"],
            starts_at=row["starts_at"],
            ends_at=row["ends_at"],
            online_url=row["online_url"],
            status=row["status"],
            updated_at=row["updated_at"],
        )


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
