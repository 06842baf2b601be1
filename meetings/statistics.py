"""Who took part in a meeting, counted by organisation kind and region.

Counts are public; names are shown only as each person's visibility allows (the views
decide that, person by person).
"""

from dataclasses import dataclass, field

from django.db.models import Count

from network.models import OrganisationKind, Region

from .models import SEATED, Meeting, MeetingStatus, ParticipationStatus


@dataclass
class ParticipantStatistics:
    people: int = 0
    organisations: int = 0
    regions: int = 0
    attended: bool = False
    by_kind: list[tuple[str, int]] = field(default_factory=list)
    by_region: list[tuple[str, int]] = field(default_factory=list)


def counted_statuses(meeting: Meeting) -> tuple[str, ...]:
    """After a meeting whose attendance was taken, only those present count."""
    if meeting.status == MeetingStatus.HELD and (
        meeting.participations.filter(status=ParticipationStatus.ATTENDED).exists()
    ):
        return (ParticipationStatus.ATTENDED,)
    return tuple(SEATED)


def participant_statistics(meeting: Meeting) -> ParticipantStatistics:
    """Four aggregate queries, whatever the number of participants."""
    statuses = counted_statuses(meeting)
    rows = meeting.participations.filter(status__in=statuses)
    totals = rows.aggregate(
        people=Count("id"),
        organisations=Count("organisation", distinct=True),
        regions=Count("organisation__region", distinct=True),
    )
    kinds = dict(OrganisationKind.choices)
    by_kind = [
        (str(kinds.get(row["organisation__kind"], "—")), row["n"])
        for row in rows.values("organisation__kind").annotate(n=Count("id")).order_by("-n")
    ]
    region_names = {r.pk: r.name for r in Region.objects.all()}
    by_region = [
        (region_names.get(row["organisation__region"], "—"), row["n"])
        for row in rows.values("organisation__region").annotate(n=Count("id")).order_by("-n")
    ]
    return ParticipantStatistics(
        people=totals["people"],
        organisations=totals["organisations"],
        regions=totals["regions"],
        attended=statuses == (ParticipationStatus.ATTENDED,),
        by_kind=by_kind,
        by_region=by_region,
    )
