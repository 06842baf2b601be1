"""iCalendar (RFC 5545) feeds of meetings, built with the icalendar package."""

from datetime import UTC, timedelta

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from .models import MeetingStatus


def build_calendar(meetings, *, name: str, events=()) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Entrevilles//Meetings//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    stamp = timezone.now()
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@entrevilles")
        event.add("dtstamp", stamp)
        # Times in UTC: every client converts them; the venue's zone is in the description.
        event.add("dtstart", meeting.starts_at.astimezone(UTC))
        event.add("dtend", meeting.ends_at.astimezone(UTC))
        event.add("summary", meeting.title)
        where = ", ".join(part for part in [meeting.venue, str(meeting.host or "")] if part)
        if where:
            event.add("location", where)
        description = meeting.purpose or ""
        if meeting.online_url:
            description = f"{description}\n{meeting.online_url}".strip()
        if description:
            event.add("description", description)
        event.add("url", settings.SITE_URL + reverse("meetings:detail", args=[meeting.pk]))
        event.add(
            "status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED"
        )
        event.add("last-modified", meeting.updated_at)
        cal.add_component(event)
    for external in events:
        event = Event()
        event.add("uid", f"external-event-{external.pk}@entrevilles")
        event.add("dtstamp", stamp)
        # All-day event: DTEND is the day after the last day (RFC 5545).
        event.add("dtstart", external.starts_on)
        event.add("dtend", external.ends_on + timedelta(days=1))
        event.add("summary", external.title)
        if external.place:
            event.add("location", external.place)
        event.add("description", external.organiser)
        event.add("url", settings.SITE_URL + reverse("meetings:event", args=[external.pk]))
        cal.add_component(event)
    return cal


def ical_response(meetings, request, *, name: str, events=()) -> HttpResponse:
    body = build_calendar(meetings, name=str(name), events=events).to_ical()
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    return response
