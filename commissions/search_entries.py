"""The commissions' search entries, and the meetings' entries that show their names.

Registered with the search engine in `CommissionsConfig.ready()`.
"""

from django.urls import reverse

from search.indexing import per_language
from search.services import EntryData

from .models import Commission


def commission_ids():
    return Commission.objects.active().values_list("id", flat=True)


def commission_entry(commission) -> EntryData:
    return EntryData(
        "commission",
        commission.pk,
        original_language="en",
        titles=per_language(commission, "name"),
        summaries=per_language(commission, "mandate"),
        bodies=per_language(commission, "mandate"),
        url=reverse("commissions:detail", args=[commission.slug]),
        facets=[("type", "commission")],
    )


def commission_entries(object_ids: list[int]) -> list[EntryData]:
    commissions = Commission.objects.active().filter(pk__in=object_ids)
    return [commission_entry(commission) for commission in commissions]


def register() -> None:
    from search import registry

    registry.register("commission", entries=commission_entries, all_ids=commission_ids)
