"""What the notifications engine needs of the meetings: a meeting as a thing to follow
and as the subject of events, who may hear of it (`permissions.can_view_meeting`), and
its registered participants' automatic follows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from django.urls import reverse

from accounts import permissions as roles
from notifications import registry
from notifications.events import ids_of, titles_of
from notifications.models import EventVisibility, TargetType
from notifications.registry import Described, RoleHolders
from notifications.services import follow_automatically

from . import permissions
from .models import Meeting, MeetingVisibility, ParticipationStatus

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.permissions import AnyUser
    from network.models import Person


def _visible(user: AnyUser) -> QuerySet[Meeting]:
    queryset = Meeting._default_manager.all()
    if not roles.is_network_member(user):
        queryset = queryset.filter(visibility=MeetingVisibility.PUBLIC)
    return queryset


def _url(meeting: Meeting) -> str:
    return reverse("meetings:detail", args=[meeting.pk])


def _may_see(user: AnyUser, meeting_id: int) -> bool:
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    return meeting is not None and permissions.can_view_meeting(user, meeting)


def describe(meeting: Meeting) -> Described:
    targets = [(TargetType.MEETING, meeting.pk)]
    targets += [(TargetType.COMMISSION, pk) for pk in ids_of(meeting.commissions)]
    public = meeting.visibility == MeetingVisibility.PUBLIC
    return Described(
        "meeting",
        targets,
        titles_of(meeting, "title"),
        _url(meeting),
        EventVisibility.PUBLIC if public else EventVisibility.MEMBERS,
    )


def follow_meeting(meeting: Meeting, person: Person) -> None:
    """A registered participant with a login follows the meeting."""
    if person.user_id:
        follow_automatically([person.user_id], TargetType.MEETING, meeting.pk)


def automatic_follows(
    get_model: Callable[[str, str], Any], holders: RoleHolders, user_ids: list[int] | None
) -> Iterator[tuple[int, str, int]]:
    """A registered participant with a login follows the meeting (as `follow_meeting`)."""
    registrations = (
        get_model("meetings", "Participation")
        .objects.filter(person__user__isnull=False)
        .exclude(status=ParticipationStatus.CANCELLED)
    )
    if user_ids is not None:
        registrations = registrations.filter(person__user_id__in=user_ids)
    for meeting_id, user_id in registrations.values_list(
        "meeting_id", "person__user_id"
    ).iterator():
        yield user_id, TargetType.MEETING.value, meeting_id


def register() -> None:
    registry.register_target(TargetType.MEETING, model=Meeting, visible=_visible, url=_url)
    registry.register_events("meetings.meeting", describe)
    registry.register_subject_rule("meeting", _may_see)
    registry.register_automatic_follows(automatic_follows)
