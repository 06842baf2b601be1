"""The meetings' search entries: public and members' meetings, with their host and
commissions, whose names they show.

Registered with the search engine in `MeetingsConfig.ready()`.
"""

from django.urls import reverse
from django.utils import translation

from entrevilles.dates import format_date
from network.search_entries import city_facets
from search.indexing import LANGUAGES, languages_of, per_language
from search.models import EntryVisibility
from search.services import EntryData

from .models import Meeting, MeetingVisibility


def meeting_ids():
    return Meeting.objects.filter(
        visibility__in=[MeetingVisibility.PUBLIC, MeetingVisibility.MEMBERS]
    ).values_list("id", flat=True)


def meeting_entry(meeting) -> EntryData:
    titles = per_language(meeting, "title")
    purposes = per_language(meeting, "purpose")
    commissions = list(meeting.commissions.all())
    host = meeting.host
    summaries, bodies = {}, {}
    date = meeting.local_start.date()
    for code in LANGUAGES:
        with translation.override(code):
            where = f" · {host.name}" if host else ""
            summaries[code] = (
                f"{format_date(date, 'DATE_FORMAT')}{where} · "
                + ", ".join(c.name for c in commissions)
                + (f"\n{purposes[code]}" if purposes[code] else "")
            )
            names = " ".join(getattr(c, f"name_{code}") or c.name for c in commissions)
            bodies[code] = f"{purposes[code]}\n{names}\n{host.name if host else ''}"
    languages = languages_of(titles) or ["en"]
    facets = [("type", "meeting"), *city_facets(host)]
    facets += [("language", code) for code in languages]
    facets.append(("year", str(date.year)))
    return EntryData(
        "meeting",
        meeting.pk,
        original_language=languages[0],
        titles=titles,
        summaries=summaries,
        bodies=bodies,
        url=reverse("meetings:detail", args=[meeting.pk]),
        facets=facets,
        visibility=(
            EntryVisibility.PUBLIC
            if meeting.visibility == MeetingVisibility.PUBLIC
            else EntryVisibility.MEMBERS
        ),
        date=date,
    )


def meeting_entries(object_ids: list[int]) -> list[EntryData]:
    """The entries of those of these meetings that are public or for members (3 queries);
    any other visibility is never indexed."""
    meetings = (
        Meeting.objects.filter(pk__in=meeting_ids().filter(pk__in=object_ids))
        .select_related("host__region")
        .prefetch_related("commissions")
    )
    return [meeting_entry(meeting) for meeting in meetings]


def register() -> None:
    from search import registry

    registry.register("meeting", entries=meeting_entries, all_ids=meeting_ids)
    # A meeting's entry shows its commissions' names and its host's name and place.
    registry.register_dependents(
        "commission",
        "meeting",
        lambda pk: Meeting.objects.filter(commissions=pk).values_list("id", flat=True),
    )
    registry.register_dependents(
        "organisation",
        "meeting",
        lambda pk: Meeting.objects.filter(host=pk).values_list("id", flat=True),
    )
