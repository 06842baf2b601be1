"""The platform's one iCalendar (RFC 5545) writer: meetings, external events and
partnership activities are written by it.

Written line by line rather than through a component tree: the network's calendar holds
up to 1,500 entries and a tree of property objects took over a second to serialise.
The tests read every feed back with the icalendar parser.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta


def text(value) -> str:
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


def fold(line: str) -> str:
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


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def all_day_event(
    *,
    uid: str,
    stamp: str,
    starts_on: date,
    ends_on: date,
    summary: str,
    place: str = "",
    description: str = "",
    url: str = "",
    last_modified: datetime | None = None,
) -> list[str]:
    """The lines of an event of whole days, `starts_on` to `ends_on` included."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{starts_on:%Y%m%d}",
        # DTEND is the day after the last day (RFC 5545).
        f"DTEND;VALUE=DATE:{ends_on + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{text(summary)}",
    ]
    if place:
        lines.append(f"LOCATION:{text(place)}")
    if description:
        lines.append(f"DESCRIPTION:{text(description)}")
    if url:
        lines.append(f"URL:{url}")
    if last_modified is not None:
        lines.append(f"LAST-MODIFIED:{utc(last_modified)}")
    lines.append("END:VEVENT")
    return lines


def calendar(name: str, product: str, events: Iterable[str]) -> bytes:
    """A calendar file of these VEVENT lines, named `name`."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//Entrevilles//{product}//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{text(name)}",
        *events,
        "END:VCALENDAR",
    ]
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode()
