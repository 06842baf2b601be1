"""Search entries of the organisations, commissions, meetings, actions and learning needs.

Experiences and documents are built in `library.indexing`.
"""

from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.http import urlencode

from entrevilles.dates import format_date

from . import services

LANGUAGES = ("en", "fr", "es")


def _organisation_url(organisation) -> str:
    # The directory's organisation page is the shared contract `network:organisation`;
    # until it exists, the directory filtered on the name leads there.
    try:
        return reverse("network:organisation", args=[organisation.pk])
    except NoReverseMatch:
        return reverse("network:directory") + "?" + urlencode({"q": organisation.name})


def _per_language(obj, field: str) -> dict[str, str]:
    return {code: getattr(obj, f"{field}_{code}", "") or "" for code in LANGUAGES}


def organisation_ids():
    from network.models import Organisation

    return Organisation.objects.values_list("id", flat=True)


def organisation_entry(organisation) -> services.EntryData:
    names = _per_language(organisation, "name")
    summaries = {}
    for code in LANGUAGES:
        with translation.override(code):
            summaries[code] = f"{organisation.get_kind_display()} · {organisation.country.name}"
    facets = [("type", "organisation"), ("region", organisation.region.code)]
    if organisation.size_class:
        facets.append(("size_class", organisation.size_class))
    facets += [
        ("language", code) for code in organisation.working_languages or [] if code in LANGUAGES
    ]
    original = (organisation.working_languages or ["en"])[0]
    return services.EntryData(
        "organisation",
        organisation.pk,
        original_language=original if original in LANGUAGES else "en",
        titles={code: name or organisation.name for code, name in names.items()},
        summaries=summaries,
        bodies=summaries,
        url=_organisation_url(organisation),
        facets=facets,
    )


def organisation_entries(object_ids: list[int]) -> list[services.EntryData]:
    from network.models import Organisation

    organisations = Organisation.objects.select_related("country", "region").filter(
        pk__in=object_ids
    )
    return [organisation_entry(organisation) for organisation in organisations]


def _index_one(object_type: str, object_id: int, build) -> None:
    entries = build([object_id])
    if entries:
        services.write_entries(entries)
    else:
        services.remove_entry(object_type, object_id)


def index_organisation(object_id: int) -> None:
    _index_one("organisation", object_id, organisation_entries)


def commission_ids():
    from commissions.models import Commission

    return Commission.objects.active().values_list("id", flat=True)


def commission_entry(commission) -> services.EntryData:
    return services.EntryData(
        "commission",
        commission.pk,
        original_language="en",
        titles=_per_language(commission, "name"),
        summaries=_per_language(commission, "mandate"),
        bodies=_per_language(commission, "mandate"),
        url=reverse("commissions:detail", args=[commission.slug]),
        facets=[("type", "commission")],
    )


def commission_entries(object_ids: list[int]) -> list[services.EntryData]:
    from commissions.models import Commission

    commissions = Commission.objects.active().filter(pk__in=object_ids)
    return [commission_entry(commission) for commission in commissions]


def index_commission(object_id: int) -> None:
    _index_one("commission", object_id, commission_entries)


# --- meetings, actions and learning needs ----------------------------------------------
# Their apps do not know about the search: `search.signals` re-indexes them on commit.


def _city_facets(city) -> list[tuple[str, str]]:
    if city is None:
        return []
    facets = [("region", city.region.code)]
    if city.size_class:
        facets.append(("size_class", city.size_class))
    return facets


def _languages(texts: dict[str, str]) -> list[str]:
    return [code for code in LANGUAGES if texts.get(code)]


def meeting_ids():
    from meetings.models import Meeting, MeetingVisibility

    return Meeting.objects.filter(
        visibility__in=[MeetingVisibility.PUBLIC, MeetingVisibility.MEMBERS]
    ).values_list("id", flat=True)


def meeting_entry(meeting) -> services.EntryData:
    from meetings.models import MeetingVisibility

    from .models import EntryVisibility

    titles = _per_language(meeting, "title")
    purposes = _per_language(meeting, "purpose")
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
    languages = _languages(titles) or ["en"]
    facets = [("type", "meeting"), *_city_facets(host)]
    facets += [("language", code) for code in languages]
    facets.append(("year", str(date.year)))
    return services.EntryData(
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


def meeting_entries(object_ids: list[int]) -> list[services.EntryData]:
    """The entries of those of these meetings that are public or for members (3 queries);
    any other visibility is never indexed."""
    from meetings.models import Meeting

    meetings = (
        Meeting.objects.filter(pk__in=meeting_ids().filter(pk__in=object_ids))
        .select_related("host__region")
        .prefetch_related("commissions")
    )
    return [meeting_entry(meeting) for meeting in meetings]


def index_meeting(object_id: int) -> None:
    _index_one("meeting", object_id, meeting_entries)


def action_ids():
    from actions.models import Action

    return Action.objects.values_list("id", flat=True)


def action_entry(action) -> services.EntryData:
    titles = _per_language(action, "title")
    descriptions = _per_language(action, "description")
    workstream = action.workstream
    original = (_languages(titles) or ["en"])[0]
    summaries, bodies = {}, {}
    for code in LANGUAGES:
        with translation.override(code):
            stream = (
                (getattr(workstream, f"title_{code}") or workstream.title) if workstream else ""
            )
            status = str(action.get_status_display())
            # The labels in this language; the description in it, or in the original.
            description = descriptions[code] or descriptions[original]
            summaries[code] = " · ".join(filter(None, [status, stream])) + (
                f"\n{description}" if description else ""
            )
            bodies[code] = f"{descriptions[code]}\n{stream}"
    languages = _languages(titles) or ["en"]
    date = action.due_date or action.created_at.date()
    facets = [("type", "action"), *[("language", code) for code in languages]]
    facets.append(("year", str(date.year)))
    return services.EntryData(
        "action",
        action.pk,
        original_language=languages[0],
        titles=titles,
        summaries=summaries,
        bodies=bodies,
        url=reverse("actions:detail", args=[action.pk]),
        facets=facets,
        date=date,
    )


def action_entries(object_ids: list[int]) -> list[services.EntryData]:
    """Actions are public, like their workstreams' pages (1 query)."""
    from actions.models import Action

    actions = Action.objects.select_related("workstream").filter(pk__in=object_ids)
    return [action_entry(action) for action in actions]


def index_action(object_id: int) -> None:
    _index_one("action", object_id, action_entries)


def need_ids():
    from learning.models import LearningNeed

    return LearningNeed.objects.published().values_list("id", flat=True)


def need_entry(need) -> services.EntryData:
    titles = _per_language(need, "title")
    problems = _per_language(need, "problem")
    contexts = _per_language(need, "context")
    city = need.city
    summaries, bodies = {}, {}
    for code in LANGUAGES:
        with translation.override(code):
            problem = problems[code] or problems[need.original_language]
            summaries[code] = f"{city.name} · {need.get_status_display()}" + (
                f"\n{problem}" if problem else ""
            )
        bodies[code] = f"{city.name}\n{problems[code]}\n{contexts[code]}"
    languages = [need.original_language] + [
        code for code in _languages(titles) if code != need.original_language
    ]
    facets = [("type", "need"), *_city_facets(city)]
    facets += [("language", code) for code in languages]
    facets += [("theme", theme.key) for theme in need.themes.all()]
    facets += [("sdg", str(sdg.number)) for sdg in need.sdgs.all()]
    date = need.created_at.date()
    facets.append(("year", str(date.year)))
    return services.EntryData(
        "need",
        need.pk,
        original_language=need.original_language,
        titles={code: f"{text} · {city.name}" if text else "" for code, text in titles.items()},
        summaries=summaries,
        bodies=bodies,
        url=need.get_absolute_url(),
        facets=facets,
        date=date,
    )


def need_entries(object_ids: list[int]) -> list[services.EntryData]:
    """The entries of those of these needs that are published (3 queries)."""
    from learning.models import LearningNeed

    needs = (
        LearningNeed.objects.published()
        .select_related("city__region")
        .prefetch_related("themes", "sdgs")
        .filter(pk__in=object_ids)
    )
    return [need_entry(need) for need in needs]


def index_need(object_id: int) -> None:
    _index_one("need", object_id, need_entries)
