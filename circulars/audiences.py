"""Who receives a circular: its segments resolved to the directory's people, in SQL.

Every function here builds one queryset; counting and previewing 60,000 people is a
few aggregate queries, never a loop over people in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower

from commissions.models import CommissionMembership
from meetings.models import SEATED, Participation
from network import permissions as network_permissions
from network.models import OrganisationKind, Person

from .models import Circular, Segment, SegmentKind, Suppression

PREVIEW_SIZE = 20


def segment_condition(segment: Segment) -> Q:
    """The people of one segment, as a condition on Person."""
    kind = segment.kind
    if kind == SegmentKind.COMMISSION_MEMBERS:
        return Q(
            organisation_id__in=CommissionMembership.objects.filter(
                commission_id=segment.commission_id
            ).values("organisation_id")
        )
    if kind == SegmentKind.PARTNERS:
        return Q(organisation__kind=OrganisationKind.PARTNER)
    if kind == SegmentKind.ORGANISATION_KIND:
        return Q(organisation__kind=segment.organisation_kind)
    if kind == SegmentKind.REGION:
        return Q(organisation__region_id=segment.region_id)
    if kind == SegmentKind.MEETING_PARTICIPANTS:
        return Q(
            pk__in=Participation.objects.filter(
                meeting_id=segment.meeting_id, status__in=SEATED
            ).values("person_id")
        )
    if kind == SegmentKind.PEOPLE:
        return Q(
            pk__in=Segment.people.through.objects.filter(segment_id=segment.pk).values("person_id")
        )
    return Q(pk__in=[])


def audience_people(segments) -> QuerySet:
    """People in an included segment and in no excluded one (any e-mail address)."""
    included = Q(pk__in=[])
    excluded = Q(pk__in=[])
    for segment in segments:
        if segment.exclude:
            excluded |= segment_condition(segment)
        else:
            included |= segment_condition(segment)
    return Person.objects.filter(included).exclude(excluded)


def recipients(circular: Circular) -> QuerySet:
    """The people the circular goes to: in its audience, with an e-mail address that is
    not suppressed; annotated with `address`, the lower-cased address (deliveries are
    unique per address, so two people sharing one get one message)."""
    return (
        audience_people(circular.segments.all())
        .exclude(email="")
        .annotate(address=Lower("email"))
        .exclude(address__in=Suppression.objects.values("email"))
    )


@dataclass
class AudiencePreview:
    total: int = 0
    without_email: int = 0
    suppressed: int = 0
    # (language code, language name, people, language they will receive)
    by_language: list[tuple[str, str, int, str]] = field(default_factory=list)
    first: list[dict] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.total == 0


def preview(circular: Circular, *, viewer=None, size: int = PREVIEW_SIZE) -> AudiencePreview:
    """How many receive it, in which language, and the first `size` of them, each
    address shown only where its owner's visibility choice lets `viewer` see it (an
    empty `address` otherwise, as the people API leaves it out).

    Four queries whatever the audience's size (plus the segments).
    """
    segments = list(circular.segments.all())
    if not any(not s.exclude for s in segments):
        return AudiencePreview()
    people = audience_people(segments)
    everyone = people.aggregate(
        without_email=Count("pk", filter=Q(email="")),
    )
    chosen = recipients(circular)
    names = dict(settings.LANGUAGES)
    rows = chosen.values("preferred_language").annotate(n=Count("address", distinct=True))
    counts = {row["preferred_language"]: row["n"] for row in rows}
    by_language = [
        (code, str(names[code]), counts.get(code, 0), circular.language_for(code))
        for code in settings.LANGUAGE_CODES
        if counts.get(code)
    ]
    total = chosen.aggregate(n=Count("address", distinct=True))["n"]
    suppressed = (
        people.exclude(email="")
        .annotate(address=Lower("email"))
        .filter(address__in=Suppression.objects.values("email"))
        .count()
    )
    first = list(
        chosen.order_by("address", "pk").values(
            "pk", "first_name", "last_name", "address", "preferred_language", "organisation__name",
            "contact_visibility", "user_id", "organisation_id",
        )[:size]
    )  # fmt: skip
    for row in first:
        row["language"] = circular.language_for(row["preferred_language"])
        if not network_permissions.can_view_contact_details(viewer, SimpleNamespace(**row)):
            row["address"] = ""
    return AudiencePreview(
        total=total,
        without_email=everyone["without_email"],
        suppressed=suppressed,
        by_language=by_language,
        first=first,
    )


# What a delivery row needs to follow its person's visibility choice.
DELIVERY_PERSON_FIELDS = (
    "person__contact_visibility",
    "person__user_id",
    "person__organisation_id",
)


def hide_private_address(viewer, delivery) -> None:
    """Blank a delivery's address, and the mail server's reply that may quote it, where
    the person's visibility choice hides it from `viewer` (the people API's rule)."""
    person = delivery.person
    if person is None or network_permissions.can_view_contact_details(viewer, person):
        return
    if delivery.email:
        delivery.smtp_reply = re.sub(
            re.escape(delivery.email), "…", delivery.smtp_reply or "", flags=re.IGNORECASE
        )
    delivery.email = ""
