"""The things one can follow: finding one as a given person may see it, its name and page.
Each kind is registered by its app (`registry.register_target`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from . import registry
from .models import TargetType

if TYPE_CHECKING:
    from accounts.permissions import AnyUser


def model_of(target_type: str) -> type[models.Model]:
    return registry.model_of(TargetType(target_type))


def visible_targets(user: AnyUser, target_type: str) -> models.QuerySet[Any]:
    """The objects of this type `user` may see and so follow, as a queryset."""
    return registry.target(TargetType(target_type)).visible(user)


def find_target(user: AnyUser, target_type: str, target_id: int) -> models.Model | None:
    """The object, if it exists and `user` may see it; None otherwise (never says which)."""
    try:
        return visible_targets(user, target_type).filter(pk=target_id).first()
    except ValueError:
        return None


def target_url(target_type: str, obj: models.Model) -> str:
    return registry.target(TargetType(target_type)).url(obj)
