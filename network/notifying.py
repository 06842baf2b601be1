"""What the notifications engine needs of the directory: an organisation as a thing to
follow, and the people with a directory entry, who count as members of the network for
members-only events (as in `accounts.permissions.is_network_member`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from notifications import registry
from notifications.models import TargetType

from .models import Organisation, Person

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.permissions import AnyUser


def _visible(user: AnyUser) -> QuerySet[Organisation]:
    return Organisation._default_manager.all()


def _url(organisation: Organisation) -> str:
    return reverse("network:organisation", args=[organisation.pk])


def register() -> None:
    registry.register_target(
        TargetType.ORGANISATION, model=Organisation, visible=_visible, url=_url
    )
    registry.register_members(Person, "user")
