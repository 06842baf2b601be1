"""The organisations' search entries, and the facets of a city that other entries show.

Registered with the search engine in `NetworkConfig.ready()`.
"""

from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.http import urlencode

from search.indexing import LANGUAGES, per_language
from search.services import EntryData

from .models import Organisation, Region, SizeClass


def _organisation_url(organisation) -> str:
    # The directory's organisation page is the shared contract `network:organisation`;
    # until it exists, the directory filtered on the name leads there.
    try:
        return reverse("network:organisation", args=[organisation.pk])
    except NoReverseMatch:
        return reverse("network:directory") + "?" + urlencode({"q": organisation.name})


def organisation_ids():
    return Organisation.objects.values_list("id", flat=True)


def organisation_entry(organisation) -> EntryData:
    names = per_language(organisation, "name")
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
    return EntryData(
        "organisation",
        organisation.pk,
        original_language=original if original in LANGUAGES else "en",
        titles={code: name or organisation.name for code, name in names.items()},
        summaries=summaries,
        bodies=summaries,
        url=_organisation_url(organisation),
        facets=facets,
    )


def organisation_entries(object_ids: list[int]) -> list[EntryData]:
    organisations = Organisation.objects.select_related("country", "region").filter(
        pk__in=object_ids
    )
    return [organisation_entry(organisation) for organisation in organisations]


def city_facets(city) -> list[tuple[str, str]]:
    """The region and size class of a city, as facets of the entries that name it
    (its meetings, needs and experiences)."""
    if city is None:
        return []
    facets = [("region", city.region.code)]
    if city.size_class:
        facets.append(("size_class", city.size_class))
    return facets


def region_labels(values: list[str]) -> dict[str, str]:
    return {r.code: r.name for r in Region.objects.filter(code__in=values)}


def size_class_labels(values: list[str]) -> dict[str, str]:
    return {v: str(SizeClass(v).label) for v in values if v in SizeClass.values}


def register() -> None:
    from search import registry

    registry.register("organisation", entries=organisation_entries, all_ids=organisation_ids)
    registry.register_facet_labels("region", region_labels)
    registry.register_facet_labels("size_class", size_class_labels)
