"""The things one can follow: finding one as a given person may see it, its name and page."""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.urls import reverse

from accounts import permissions as roles
from learning import permissions as learning_permissions

from .models import TargetType

MODELS = {
    TargetType.COMMISSION: "commissions.Commission",
    TargetType.MEETING: "meetings.Meeting",
    TargetType.NEED: "learning.LearningNeed",
    TargetType.PARTNERSHIP: "learning.Partnership",
    TargetType.GROUP: "learning.LearningGroup",
    TargetType.ORGANISATION: "network.Organisation",
    TargetType.THEME: "library.Theme",
    TargetType.ACTION: "actions.Action",
}


def model_of(target_type: str) -> type[models.Model]:
    return apps.get_model(MODELS[TargetType(target_type)])


def visible_targets(user, target_type: str):
    """The objects of this type `user` may see and so follow, as a queryset."""
    target_type = TargetType(target_type)
    if target_type == TargetType.NEED:
        return learning_permissions.visible_learning_needs(user)
    if target_type == TargetType.PARTNERSHIP:
        return learning_permissions.visible_partnerships(user)
    if target_type == TargetType.GROUP:
        return learning_permissions.visible_learning_groups(user)
    queryset = model_of(target_type)._default_manager.all()
    if target_type == TargetType.MEETING and not roles.is_network_member(user):
        from meetings.models import MeetingVisibility

        queryset = queryset.filter(visibility=MeetingVisibility.PUBLIC)
    return queryset


def find_target(user, target_type: str, target_id: int):
    """The object, if it exists and `user` may see it; None otherwise (never says which)."""
    try:
        return visible_targets(user, target_type).filter(pk=target_id).first()
    except ValueError:
        return None


def target_url(target_type: str, obj) -> str:
    if target_type == TargetType.COMMISSION:
        return reverse("commissions:detail", args=[obj.slug])
    if target_type == TargetType.MEETING:
        return reverse("meetings:detail", args=[obj.pk])
    if target_type == TargetType.NEED:
        return reverse("learning:need", args=[obj.pk])
    if target_type == TargetType.PARTNERSHIP:
        return reverse("learning:partnership", args=[obj.pk])
    if target_type == TargetType.GROUP:
        return reverse("learning:group", args=[obj.slug])
    if target_type == TargetType.ORGANISATION:
        return reverse("network:organisation", args=[obj.pk])
    if target_type == TargetType.THEME:
        return reverse("library:experiences") + f"?theme={obj.key}"
    return reverse("actions:detail", args=[obj.pk])


def type_of(obj: models.Model) -> str:
    label = obj._meta.label
    for target_type, model in MODELS.items():
        if model == label:
            return target_type
    raise ValueError(f"{label} cannot be followed")
