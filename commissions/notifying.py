"""What the notifications engine needs of the commissions: a commission as a thing to
follow (its meetings, actions, documents, circulars and groups are told to its followers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from notifications import registry
from notifications.models import TargetType

from .models import Commission

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.permissions import AnyUser


def _visible(user: AnyUser) -> QuerySet[Commission]:
    return Commission._default_manager.all()


def _url(commission: Commission) -> str:
    return reverse("commissions:detail", args=[commission.slug])


def register() -> None:
    registry.register_target(TargetType.COMMISSION, model=Commission, visible=_visible, url=_url)
