"""Calendar feeds (iCal) of one meeting, of all visible meetings and of one's own."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from commissions.models import Commission

from .. import calendar
from ..models import SEATED, ExternalEvent, Meeting
from .common import _get_meeting_for_user, visible_meetings


def meeting_ical(request, pk):
    meeting = _get_meeting_for_user(request, pk)
    return calendar.ical_response([meeting], request, name=meeting.title)


def calendar_ical(request):
    """The network's calendar, or one commission's with ?commission=<slug>."""
    # A calendar client needs the coming meetings and the recent past, not all history.
    since = timezone.now() - timedelta(days=365)
    meetings = visible_meetings(request.user).filter(ends_at__gte=since).order_by("starts_at", "id")
    events = ExternalEvent.objects.filter(ends_on__gte=since.date()).order_by("starts_on")
    commission = None
    if slug := request.GET.get("commission"):
        commission = get_object_or_404(Commission, slug=slug)
        meetings = meetings.filter(commissions=commission)
        events = events.filter(commissions=commission)
    from learning.partnerships.calendar import network_calendar_lines

    return calendar.ical_response(
        calendar.meeting_rows(meetings[:1000]),
        request,
        name=_("Network meetings"),
        events=events[:500],
        extra_lines=network_calendar_lines(request.user, since.date(), commission),
    )


@login_required
def my_ical(request):
    """The meetings one is registered for."""
    meetings = (
        Meeting.objects.filter(
            participations__person__user=request.user, participations__status__in=SEATED
        )
        .select_related("host")
        .prefetch_related(Prefetch("commissions"))
        .distinct()
    )
    return calendar.ical_response(meetings, request, name=_("My meetings"))
