"""Writes to accounts: every change goes through one of these functions."""

from django.db import transaction

from audit import services as audit

from .models import User


@transaction.atomic
def set_preferred_language(user: User, language: str, *, actor) -> User:
    """Remember the language a person reads the platform (and their e-mail) in."""
    if user.preferred_language == language:
        return user
    before = {"preferred_language": user.preferred_language}
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    audit.record(
        "accounts.user.language_changed",
        user,
        actor=actor,
        before=before,
        after={"preferred_language": language},
    )
    return user
