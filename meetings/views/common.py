"""What the meeting pages share: who sees which meeting, access checks, choices, pickers."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts import permissions as roles
from commissions.models import Commission
from meetings import permissions
from network.models import Organisation

from .. import pickers
from ..models import Meeting, MeetingVisibility


def visible_meetings(user):
    meetings = Meeting.objects.all()
    if not roles.is_network_member(user):
        meetings = meetings.filter(visibility=MeetingVisibility.PUBLIC)
    return meetings


def _get_meeting_for_user(request, pk) -> Meeting:
    """The meeting if the user may see it; 404 otherwise, so members-only ones stay hidden."""
    meeting = (
        Meeting.objects.select_related("host", "host__country")
        .prefetch_related("commissions")
        .filter(pk=pk)
        .first()
    )
    if meeting is None or not permissions.can_view_meeting(request.user, meeting):
        raise Http404
    return meeting


def _get_managed_meeting(request, pk) -> Meeting:
    meeting = _get_meeting_for_user(request, pk)
    if not permissions.can_manage_meeting(request.user, meeting):
        raise PermissionDenied
    return meeting


def _form_choices(user):
    commissions = Commission.objects.all()
    if not roles.is_network_admin(user):
        commissions = commissions.filter(pk__in=roles.secretariat_commission_ids(user))
    # Host cities are chosen among the members of the commissions one manages: a short list.
    member_ids = Organisation.objects.filter(commissions__in=commissions).values("pk")
    return commissions, Organisation.objects.filter(pk__in=member_ids)


def _picker(request, kind: str, field: str) -> dict:
    """A picker's state from the request: what is ticked, what the search box holds."""
    query = request.GET.get(f"{field}-q", "").strip()[:100]
    ticked = request.GET.getlist(field) or request.POST.getlist(field)
    chosen, found = pickers.search(kind, request.user, query, ticked)
    return {"query": query, "chosen": chosen, "found": found}
