"""The actions' search entries, with their status and their workstream's title.

Registered with the search engine in `ActionsConfig.ready()`.
"""

from django.urls import reverse
from django.utils import translation

from search.indexing import LANGUAGES, languages_of, per_language
from search.services import EntryData

from .models import Action


def action_ids():
    return Action.objects.values_list("id", flat=True)


def action_entry(action) -> EntryData:
    titles = per_language(action, "title")
    descriptions = per_language(action, "description")
    workstream = action.workstream
    original = (languages_of(titles) or ["en"])[0]
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
    languages = languages_of(titles) or ["en"]
    date = action.due_date or action.created_at.date()
    facets = [("type", "action"), *[("language", code) for code in languages]]
    facets.append(("year", str(date.year)))
    return EntryData(
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


def action_entries(object_ids: list[int]) -> list[EntryData]:
    """Actions are public, like their workstreams' pages (1 query)."""
    actions = Action.objects.select_related("workstream").filter(pk__in=object_ids)
    return [action_entry(action) for action in actions]


def register() -> None:
    from search import registry

    registry.register("action", entries=action_entries, all_ids=action_ids)
