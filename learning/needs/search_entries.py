"""The published learning needs' search entries, with their city's name and place.

Registered with the search engine in `LearningConfig.ready()`.
"""

from django.utils import translation

from learning.models import LearningNeed
from network.search_entries import city_facets
from search.indexing import LANGUAGES, languages_of, per_language
from search.services import EntryData


def need_ids():
    return LearningNeed.objects.published().values_list("id", flat=True)


def need_entry(need) -> EntryData:
    titles = per_language(need, "title")
    problems = per_language(need, "problem")
    contexts = per_language(need, "context")
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
        code for code in languages_of(titles) if code != need.original_language
    ]
    facets = [("type", "need"), *city_facets(city)]
    facets += [("language", code) for code in languages]
    facets += [("theme", theme.key) for theme in need.themes.all()]
    facets += [("sdg", str(sdg.number)) for sdg in need.sdgs.all()]
    date = need.created_at.date()
    facets.append(("year", str(date.year)))
    return EntryData(
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


def need_entries(object_ids: list[int]) -> list[EntryData]:
    """The entries of those of these needs that are published (3 queries)."""
    needs = (
        LearningNeed.objects.published()
        .select_related("city__region")
        .prefetch_related("themes", "sdgs")
        .filter(pk__in=object_ids)
    )
    return [need_entry(need) for need in needs]


def register() -> None:
    from search import registry

    registry.register("need", entries=need_entries, all_ids=need_ids)
    # A need's entry shows its city's name and place.
    registry.register_dependents(
        "organisation",
        "need",
        lambda pk: LearningNeed.objects.filter(city=pk).values_list("id", flat=True),
    )
