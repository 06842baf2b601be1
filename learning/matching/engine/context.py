"""The context bonuses of a candidate's city (size, languages, region, record), with reasons."""

from django.db.models import Count
from django.utils.translation import gettext, ngettext

from learning.models import PartnershipParty, PartnershipStatus, PartyRole
from library.models import Experience, Status
from network.models import SizeClass

from .seeker import Seeker

# What the context adds to (or takes from) a topic, as a share of it: nudges that order
# cases on the same topic, never enough to put a case on another angle above the one
# that answers the need (measured with `benchmark_bridge` on the development set and on
# the project's own cases: twice these values put the grade-2 answer first less often).
SAME_SIZE = 0.10
FAR_SIZE = -0.10
SHARED_LANGUAGE = 0.05
SAME_REGION = 0.05
SOUTH_SOUTH = 0.05
PUBLISHED_RECORD = 0.025
PUBLISHED_RECORD_MIN = 2
MENTOR_RECORD = 0.05
OFFERS_TO_HOST = 0.05
GLOBAL_SOUTH = frozenset({"africa", "asia-pacific", "latin-america", "middle-east-west-asia"})
SIZE_ORDER = {SizeClass.SMALL_TOWN: 0, SizeClass.INTERMEDIARY: 1, SizeClass.METROPOLIS: 2}


def _language_names(codes) -> str:
    from django.conf import settings

    from entrevilles.languages import language_name

    # After "A working language in common:", inside the sentence: "anglais, français".
    return ", ".join(
        language_name(code, in_sentence=True) for code in codes if code in dict(settings.LANGUAGES)
    )


def _concept_list(keys: list[str], lex, limit: int = 4) -> str:
    return ", ".join(lex.listed(keys, limit))


class _Reasons(list):
    """A list of reasons that only builds them when asked to (`explain`)."""

    def __init__(self, explain: bool):
        super().__init__()
        self.explain = explain

    def add(self, build) -> None:
        if self.explain:
            self.append(build())


def _city_factors(
    seeker: Seeker, city, record: dict, explain: bool = True
) -> tuple[dict, list[str]]:
    """The bonuses that depend on the city, with their reasons in the active language.

    `city` is an organisation with its region, or a lighter object with the same
    attributes; without `explain`, no reason is written (ranking hundreds of candidates).
    """
    factors: dict[str, float] = {}
    reasons = _Reasons(explain)
    if seeker.size_class and city.size_class:
        gap = abs(SIZE_ORDER[seeker.size_class] - SIZE_ORDER[city.size_class])
        if gap == 0:
            factors["size"] = SAME_SIZE
            reasons.add(
                lambda: (
                    gettext("A city of the same size: %(size_class)s")
                    % {"size_class": city.get_size_class_display()}
                )
            )
        elif gap == 2:
            factors["size"] = FAR_SIZE
            reasons.add(
                lambda: (
                    gettext("A city of a very different size: %(size_class)s")
                    % {"size_class": city.get_size_class_display()}
                )
            )
    shared_languages = [
        code for code in seeker.working_languages if code in (city.working_languages or [])
    ]
    if shared_languages:
        factors["language"] = SHARED_LANGUAGE
        reasons.add(
            lambda: (
                gettext("A working language in common: %(languages)s")
                % {"languages": _language_names(shared_languages)}
            )
        )
    region = city.region
    if seeker.region_code and region.code == seeker.region_code:
        factors["region"] = SAME_REGION
        reasons.add(lambda: gettext("The same region: %(region)s") % {"region": region.name})
    elif seeker.region_code in GLOBAL_SOUTH and region.code in GLOBAL_SOUTH:
        factors["region"] = SOUTH_SOUTH
        reasons.add(
            lambda: (
                gettext("A South-South pairing: %(region)s and %(other)s")
                % {"region": seeker.region_name, "other": region.name}
            )
        )
    published = record.get("published", 0)
    if published >= PUBLISHED_RECORD_MIN:
        factors["published"] = PUBLISHED_RECORD
        reasons.add(
            lambda: (
                ngettext(
                    "Track record: %(count)s published experience",
                    "Track record: %(count)s published experiences",
                    published,
                )
                % {"count": published}
            )
        )
    mentored = record.get("mentored", 0)
    if mentored:
        factors["mentored"] = MENTOR_RECORD
        reasons.add(
            lambda: (
                ngettext(
                    "Has mentored %(count)s completed partnership",
                    "Has mentored %(count)s completed partnerships",
                    mentored,
                )
                % {"count": mentored}
            )
        )
    return factors, reasons


def track_records(city_ids) -> dict[int, dict]:
    """Published experiences and completed partnerships as mentor, per city (2 queries)."""
    records: dict[int, dict] = {pk: {} for pk in city_ids}
    # Grouped by status too, and the published ones kept here: a condition on the status
    # would lead SQLite to read every published experience through the status index.
    for city_id, status, count in (
        Experience.objects.filter(city_id__in=list(records))
        .order_by()
        .values_list("city_id", "status")
        .annotate(n=Count("id"))
    ):
        if status == Status.PUBLISHED:
            records[city_id]["published"] = count
    for city_id, count in (
        PartnershipParty.objects.filter(
            organisation_id__in=list(records),
            role=PartyRole.MENTOR,
            partnership__status=PartnershipStatus.COMPLETED,
        )
        .order_by()
        .values_list("organisation_id")
        .annotate(n=Count("id"))
    ):
        records[city_id]["mentored"] = count
    return records
