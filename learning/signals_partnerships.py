"""Keep the copies of an organisation's place and names on its partnership parties."""

from django.db.models import Q
from django.db.models.signals import post_save
from django.dispatch import receiver

from network.models import Organisation

from .models import PartnershipParty
from .models.partnerships import place_of


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
