"""Search entries of published experiences and documents, and the labels of the theme
and SDG facets. Registered with the search engine in `LibraryConfig.ready()`.

Each type has a builder that turns prefetched objects into `EntryData`, used both for
one object (the on-commit task) and for batches (`reindex_search`, the benchmark).
"""

from entrevilles.integers import parse_ids
from search.indexing import LANGUAGES, per_language
from search.models import EntryVisibility
from search.services import EntryData

from .models import SDG, Document, DocumentVisibility, Experience, Theme

EXPERIENCE_FIELDS = ("title", "summary", "problem", "approach", "results", "lessons")
# Extracted file text beyond this is not indexed: the start of a document says enough.
MAX_FILE_TEXT = 200_000


def _taxonomy_facets(obj) -> list[tuple[str, str]]:
    facets = [("theme", theme.key) for theme in obj.themes.all()]
    facets += [("sdg", str(sdg.number)) for sdg in obj.sdgs.all()]
    return facets


def experience_ids():
    return Experience.objects.published().values_list("id", flat=True)


def experience_entry(experience) -> EntryData:
    bodies = {
        code: "\n".join(
            getattr(experience, f"{field}_{code}") or "" for field in EXPERIENCE_FIELDS[1:]
        )
        for code in LANGUAGES
    }
    city = experience.city
    facets = [("type", "experience"), ("region", city.region.code)]
    if city.size_class:
        facets.append(("size_class", city.size_class))
    facets += [("language", code) for code in experience.translation_languages()]
    facets += _taxonomy_facets(experience)
    date = experience.published_at.date() if experience.published_at else None
    facets += [("year", str(year)) for year in experience_years(experience, date)]
    titles = per_language(experience, "title")
    return EntryData(
        "experience",
        experience.pk,
        original_language=experience.original_language,
        titles={code: f"{text} · {city.name}" if text else "" for code, text in titles.items()},
        summaries=per_language(experience, "summary"),
        bodies={
            code: f"{city.name}\n{text}" for code, text in bodies.items() if text or titles[code]
        },
        url=experience.get_absolute_url(),
        facets=facets,
        date=date,
        semantic_text=_semantic_text(experience, ("title", "summary")),
        quotable_text=_semantic_text(experience, EXPERIENCE_FIELDS[1:]),
    )


def _semantic_text(experience, fields) -> str:
    """Some fields of an experience in its original language, one paragraph each."""
    code = experience.original_language
    return "\n".join(
        text for field in fields if (text := getattr(experience, f"{field}_{code}", "") or "")
    )


def experience_years(experience, published) -> list[int]:
    """The years the experience ran (from its start to its end, or its start alone);
    the year of publication only when it says neither."""
    start, end = experience.start_year, experience.end_year
    if start and end and start <= end:
        return list(range(start, min(end, start + 50) + 1))
    if start or end:
        return [start or end]
    return [published.year] if published else []


def experience_entries(object_ids: list[int]) -> list[EntryData]:
    """The entries of those of these experiences that are published (3 queries)."""
    experiences = (
        Experience.objects.published()
        .select_related("city__region")
        .prefetch_related("themes", "sdgs")
        .filter(pk__in=object_ids)
    )
    return [experience_entry(experience) for experience in experiences]


def document_ids():
    return Document.objects.published().values_list("id", flat=True)


def document_entry(document) -> EntryData:
    bodies = per_language(document, "abstract")
    languages = {document.original_language}
    version = document.current_version()
    if version is not None:
        for file in version.files.all():
            languages.add(file.language)
            bodies[file.language] += "\n" + file.extracted_text[:MAX_FILE_TEXT]
    for item in document.items.all():
        for code in LANGUAGES:
            bodies[code] += "\n" + (getattr(item, f"text_{code}") or "")
    facets = [("type", "document"), ("kind", document.kind)]
    facets += [("language", code) for code in sorted(languages)]
    facets += [("region", author.region.code) for author in document.authors.all()]
    facets += _taxonomy_facets(document)
    if document.date:
        facets.append(("year", str(document.date.year)))
    return EntryData(
        "document",
        document.pk,
        original_language=document.original_language,
        titles=per_language(document, "title"),
        summaries=per_language(document, "abstract"),
        bodies=bodies,
        url=document.get_absolute_url(),
        facets=facets,
        visibility=(
            EntryVisibility.MEMBERS
            if document.visibility == DocumentVisibility.MEMBERS
            else EntryVisibility.PUBLIC
        ),
        date=document.date,
    )


def document_entries(object_ids: list[int]) -> list[EntryData]:
    """The entries of those of these documents that are published (a few queries)."""
    documents = (
        Document.objects.published()
        .prefetch_related("themes", "sdgs", "authors__region", "versions__files", "items")
        .filter(pk__in=object_ids)
    )
    return [document_entry(document) for document in documents]


def theme_labels(values: list[str]) -> dict[str, str]:
    return {t.key: t.label for t in Theme.objects.filter(key__in=values)}


def sdg_labels(values: list[str]) -> dict[str, str]:
    return {str(s.number): str(s) for s in SDG.objects.filter(number__in=parse_ids(values))}


def theme_concepts():
    """Each theme's label in the three languages, as a concept a query may name."""
    for theme in Theme.objects.all():
        yield (
            f"theme:{theme.key}",
            {code: [getattr(theme, f"label_{code}") or ""] for code in LANGUAGES},
        )


def register() -> None:
    from search import registry

    registry.register("experience", entries=experience_entries, all_ids=experience_ids)
    registry.register("document", entries=document_entries, all_ids=document_ids)
    # An experience's entry shows its city's name and place; a document's, its authors'
    # regions.
    registry.register_dependents(
        "organisation",
        "experience",
        lambda pk: Experience.objects.filter(city=pk).values_list("id", flat=True),
    )
    registry.register_dependents(
        "organisation",
        "document",
        lambda pk: Document.objects.filter(authors=pk).values_list("id", flat=True),
    )
    registry.register_facet_labels("theme", theme_labels)
    registry.register_facet_labels("sdg", sdg_labels)
    registry.register_concepts(Theme, theme_concepts)
