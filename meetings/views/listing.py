"""The list of upcoming and past meetings, kept for visitors."""

import hashlib

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from commissions.models import Commission
from entrevilles import fragments
from meetings import permissions
from network.models import Region

from ..models import ExternalEvent
from .common import visible_meetings

PAGE_SIZE = 25

# How many of the last meetings held the "upcoming" tab shows under the coming ones.
RECENT = 5

# The list as visitors see it (meeting_list), kept until its data changes (meetings.apps).
LIST = "meetings:list"
LIST_SECONDS = 60


def meeting_list(request):
    """Upcoming or past meetings. What visitors (not signed in) see is the same for all
    of them: rendered once per query and language, and kept (LIST) until a meeting, an
    event, a commission or a host changes, and at most LIST_SECONDS (meetings move from
    upcoming to past as time goes by)."""
    if request.user.is_authenticated:
        content = _meeting_list_content(request)
    else:
        language = get_language() or settings.LANGUAGE_CODE
        content = fragments.remember(
            LIST,
            lambda: _meeting_list_content(request),
            variant=hashlib.sha256(f"{language}|{request.GET.urlencode()}".encode()).hexdigest(),
            timeout=LIST_SECONDS,
        )
    return render(
        request,
        "meetings/list.html",
        {"content": mark_safe(content)},  # noqa: S308 - our own template's output
    )


def _meeting_list_content(request) -> str:
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    visible = visible_meetings(request.user)
    meetings = visible.past() if when == "past" else visible.upcoming()
    commission = None
    if slug := request.GET.get("commission"):
        commission = Commission.objects.filter(slug=slug).first()
        meetings = meetings.filter(commissions=commission) if commission else meetings.none()
    region = None
    if code := request.GET.get("region"):
        region = Region.objects.filter(code=code).first()
        meetings = meetings.filter(host__region=region) if region else meetings.none()
    meetings = meetings.select_related("host").prefetch_related("commissions")
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    recent = []
    if when == "upcoming" and page.number == 1:
        # The upcoming tab also shows the last meetings held, so that it is never an empty
        # page between two seasons of meetings.
        recent = visible.past()
        if commission is not None:
            recent = recent.filter(commissions=commission)
        elif request.GET.get("commission"):
            recent = recent.none()
        if region is not None:
            recent = recent.filter(host__region=region)
        elif request.GET.get("region"):
            recent = recent.none()
        recent = list(recent.select_related("host").prefetch_related("commissions")[:RECENT])
    today = timezone.localdate()
    events = ExternalEvent.objects.prefetch_related("commissions")
    events = (
        events.filter(ends_on__lt=today).order_by("-starts_on")
        if when == "past"
        else events.filter(ends_on__gte=today).order_by("starts_on")
    )
    if commission is not None:
        events = events.filter(commissions=commission)
    elif request.GET.get("commission"):
        events = events.none()
    return render_to_string(
        "meetings/_list.html",
        {
            "page": page,
            "recent": recent,
            "when": when,
            "commission": commission,
            "commissions": Commission.objects.active(),
            "region": region,
            "regions": Region.objects.all(),
            "events": events[:20] if region is None else [],
            "can_create": permissions.can_create_meeting(request.user),
        },
        request,
    )
