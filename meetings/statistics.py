"""Who took part in a meeting, counted by organisation kind and region.

Counts are public; names are shown only as each person's visibility allows (the views
decide that, person by person).
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from network.models import OrganisationKind, Region

from .models import SEATED, Meeting, MeetingStatus, ParticipationStatus


@dataclass
class ParticipantStatistics:
    people: int = 0
    organisations: int = 0
    regions: int = 0
    attended: bool = False
    waiting: int = 0
    by_kind: list[tuple[str, int]] = field(default_factory=list)
    by_region: list[tuple[str, int]] = field(default_factory=list)


def participant_statistics(meeting: Meeting) -> ParticipantStatistics:
    """Three aggregate queries (plus the regions' names), whatever the number of participants.

    After a meeting whose attendance was taken, only those present count; before, the
    registered.
    """
    participations = meeting.participations.all()
    attended = Q(status=ParticipationStatus.ATTENDED)
    seated = Q(status__in=SEATED)
    totals = participations.aggregate(
        attended_people=Count("id", filter=attended),
        attended_organisations=Count("organisation", filter=attended, distinct=True),
        attended_regions=Count("organisation__region", filter=attended, distinct=True),
        seated_people=Count("id", filter=seated),
        seated_organisations=Count("organisation", filter=seated, distinct=True),
        seated_regions=Count("organisation__region", filter=seated, distinct=True),
        waiting=Count("id", filter=Q(status=ParticipationStatus.WAITING)),
    )
    only_attended = meeting.status == MeetingStatus.HELD and totals["attended_people"] > 0
    prefix = "attended" if only_attended else "seated"
    rows = participations.filter(attended if only_attended else seated)
    kinds = dict(OrganisationKind.choices)
    by_kind = [
        (str(kinds.get(row["organisation__kind"], "—")), row["n"])
        for row in rows.values("organisation__kind").annotate(n=Count("id")).order_by("-n")
    ]
    by_region = []
    region_rows = list(rows.values("organisation__region").annotate(n=Count("id")).order_by("-n"))
    if region_rows:
        ids = [row["organisation__region"] for row in region_rows]
        names = {region.pk: region.name for region in Region.objects.filter(pk__in=ids)}
        by_region = [(names.get(row["organisation__region"], "—"), row["n"]) for row in region_rows]
    return ParticipantStatistics(
        people=totals[f"{prefix}_people"],
        organisations=totals[f"{prefix}_organisations"],
        regions=totals[f"{prefix}_regions"],
        attended=only_attended,
        waiting=totals["waiting"],
        by_kind=by_kind,
        by_region=by_region,
    )
