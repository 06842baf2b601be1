"""What the apps above accounts add to a person's profile page.

The profile page belongs to accounts: the language, the roles, the security settings.
An app that keeps more about the signed-in person (the directory keeps their contact
details) registers, from its `AppConfig.ready`, a function that takes the user and gives
a `ProfileSection`, or None when it has nothing for them. The section's fields join the
profile's one form, after accounts' own, and are saved in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from django import forms
    from django.utils.safestring import SafeString

    from .models import User


class ProfileSection(Protocol):
    def fields(self) -> dict[str, forms.Field]:
        """The fields the section adds to the profile's form, by name."""
        ...

    def initial(self) -> dict[str, Any]:
        """Their current values."""
        ...

    def render(self, form: forms.Form) -> SafeString:
        """The section's part of the form, shown after the language."""
        ...

    def save(self, data: dict[str, Any], *, actor: User) -> None:
        """Write the section's cleaned values."""
        ...


type SectionFor = Callable[[User], ProfileSection | None]

_sources: list[SectionFor] = []


def register_section(section_for: SectionFor) -> SectionFor:
    """Add `section_for(user)` to the profile page (once, however often registered);
    returns it, so that it can decorate a function."""
    if section_for not in _sources:
        _sources.append(section_for)
    return section_for


def sections(user: User) -> list[ProfileSection]:
    """The sections this user's profile shows, in the order of registration."""
    found = (section_for(user) for section_for in _sources)
    return [section for section in found if section is not None]
