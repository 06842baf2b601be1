"""Who took part in a meeting, counted by organisation kind and region.

Counts are public; names are shown only as each person's visibility allows (the views
decide that, person by person).
"""

from collections import Counter
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
    """Two aggregate queries (plus the regions' names), whatever the number of participants.

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
    # One grouped query for both tables: kinds and regions are summed here.
    counts_by_kind: Counter = Counter()
    counts_by_region: Counter = Counter()
    for kind, region, n in (
        rows.values_list("organisation__kind", "organisation__region")
        .annotate(n=Count("id"))
        # No ORDER BY: the tables are sorted below.
        .order_by()
    ):
        counts_by_kind[kind] += n
        counts_by_region[region] += n
    kinds = dict(OrganisationKind.choices)
    by_kind = [(str(kinds.get(kind, "—")), n) for kind, n in counts_by_kind.most_common()]
    by_region = []
    if counts_by_region:
        names = {
            region.pk: region.name
            for region in Region.objects.filter(pk__in=[r for r in counts_by_region if r])
        }
        by_region = [(names.get(region, "—"), n) for region, n in counts_by_region.most_common()]
    return ParticipantStatistics(
        people=totals[f"{prefix}_people"],
        organisations=totals[f"{prefix}_organisations"],
        regions=totals[f"{prefix}_regions"],
        attended=only_attended,
        waiting=totals["waiting"],
        by_kind=by_kind,
        by_region=by_region,
    )
