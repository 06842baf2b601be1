"""Keep the copies of an organisation's place and names on its partnership parties."""

from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_save
from django.dispatch import receiver

from learning.models import PartnershipParty
from learning.models.needs import copy_city_place
from learning.models.partnerships import PLACE_COLUMNS, place_of
from network.models import Organisation
from network.signals import organisations_imported

CHUNK = 5000  # organisations per UPDATE (SQLite's limit on bound parameters)


@receiver(post_save, sender=Organisation, dispatch_uid="learning-party-place")
def copy_organisation_place(sender, instance, raw=False, **kwargs):
    if raw:
        return
    place = place_of(instance)
    # Only the parties whose copy differs are written (most saves change nothing here).
    differs = Q()
    for name, value in place.items():
        if value is None:
            differs |= Q(**{f"{name}__isnull": False})
        else:
            differs |= ~Q(**{name: value}) | Q(**{f"{name}__isnull": True})
    PartnershipParty.objects.filter(differs, organisation_id=instance.pk).update(**place)


def copy_party_place(organisation_ids) -> int:
    """Refresh the copies on the parties of these organisations (written in bulk elsewhere)."""
    organisations = Organisation.objects.filter(pk=OuterRef("organisation_id"))
    changed = 0
    ids = list(organisation_ids)
    for start in range(0, len(ids), CHUNK):
        changed += PartnershipParty.objects.filter(
            organisation_id__in=ids[start : start + CHUNK]
        ).update(
            **{
                copy: (
                    Coalesce(Subquery(organisations.values(column)[:1]), Value(""))
                    if column.startswith("name_")
                    else Subquery(organisations.values(column)[:1])
                )
                for copy, column in PLACE_COLUMNS.items()
            }
        )
    return changed


@receiver(organisations_imported, dispatch_uid="learning-imported-places")
def copy_imported_places(sender, ids, **kwargs):
    """A CSV import rewrote organisations past post_save: parties and needs follow."""
    copy_party_place(ids)
    for start in range(0, len(ids), CHUNK):
        copy_city_place(ids[start : start + CHUNK])
