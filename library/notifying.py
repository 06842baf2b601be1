"""What the notifications engine needs of the knowledge base: a theme as a thing to
follow, experiences and documents as the subjects of events."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from notifications import registry
from notifications.events import ids_of, titles_of
from notifications.models import EventVisibility, TargetType
from notifications.registry import Described

from .models import Document, DocumentVisibility, Experience, Theme

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.permissions import AnyUser


def _themes(user: AnyUser) -> QuerySet[Theme]:
    return Theme._default_manager.all()


def _theme_url(theme: Theme) -> str:
    return reverse("library:experiences") + f"?theme={theme.key}"


def describe_experience(experience: Experience) -> Described:
    targets = [(TargetType.THEME, pk) for pk in ids_of(experience.themes)]
    targets.append((TargetType.ORGANISATION, experience.city_id))
    return Described(
        "experience",
        targets,
        titles_of(experience, "title"),
        reverse("library:experience", args=[experience.pk]),
        EventVisibility.PUBLIC,
    )


def describe_document(document: Document) -> Described:
    targets = [(TargetType.THEME, pk) for pk in ids_of(document.themes)]
    targets += [(TargetType.COMMISSION, pk) for pk in ids_of(document.commissions)]
    public = document.visibility == DocumentVisibility.PUBLIC
    return Described(
        "document",
        targets,
        titles_of(document, "title"),
        reverse("library:document", args=[document.pk]),
        EventVisibility.PUBLIC if public else EventVisibility.MEMBERS,
    )


def register() -> None:
    registry.register_target(TargetType.THEME, model=Theme, visible=_themes, url=_theme_url)
    registry.register_events("library.experience", describe_experience)
    registry.register_events("library.document", describe_document)
