"""The copies learning keeps of the directory's organisations, and how they follow it.

A learning need keeps its city's region and size class; a partnership party its
organisation's region, country, coordinates and names (`PLACE_COLUMNS`): the needs'
filters, the agenda, the dashboards and the map then read one table. Both are written
when the need or the party is saved, and refreshed here when the directory says which
organisations changed (`network.changes`, subscribed in `LearningConfig.ready`): one
UPDATE per few thousand organisations, whichever way they were written.
"""

from __future__ import annotations

from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from learning.models import PartnershipParty
from learning.models.needs import copy_city_place
from learning.models.partnerships import PLACE_COLUMNS
from network.models import Organisation

CHUNK = 5000  # organisations per UPDATE (SQLite's limit on bound parameters)

# The organisation's fields each copy is made of.
NEED_SOURCES = frozenset({"region", "size_class"})
PARTY_SOURCES = frozenset(
    Organisation._meta.get_field(column).name for column in PLACE_COLUMNS.values()
)


def _chunks(ids: list[int]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def copy_party_place(organisation_ids) -> int:
    """Refresh the copies on the parties of these organisations; returns how many changed."""
    organisations = Organisation.objects.filter(pk=OuterRef("organisation_id"))
    values = {
        copy: (
            Coalesce(Subquery(organisations.values(column)[:1]), Value(""))
            if column.startswith("name_")
            else Subquery(organisations.values(column)[:1])
        )
        for copy, column in PLACE_COLUMNS.items()
    }
    return sum(
        PartnershipParty.objects.filter(organisation_id__in=chunk).update(**values)
        for chunk in _chunks(list(organisation_ids))
    )


def refresh_need_places(ids: list[int], fields: frozenset[str]) -> None:
    """The needs of these cities take their region and size class again, if those changed."""
    if fields & NEED_SOURCES:
        for chunk in _chunks(ids):
            copy_city_place(chunk)


def refresh_party_places(ids: list[int], fields: frozenset[str]) -> None:
    """The parties of these organisations take their place and names again, if they changed."""
    if fields & PARTY_SOURCES:
        copy_party_place(ids)
