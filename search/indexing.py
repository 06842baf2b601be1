"""What the apps' entry builders share: the languages, texts per language, and writing
one object's entry from its type's batch builder.

Each app builds the entries of its own objects (`<app>/search_entries.py`) and registers
them in its AppConfig.ready() (`search.registry`).
"""

from . import services

LANGUAGES = ("en", "fr", "es")


def per_language(obj, field: str) -> dict[str, str]:
    """{language: text} of a translated field (empty strings for the missing ones)."""
    return {code: getattr(obj, f"{field}_{code}", "") or "" for code in LANGUAGES}


def languages_of(texts: dict[str, str]) -> list[str]:
    """The languages in which these texts are written, in the usual order."""
    return [code for code in LANGUAGES if texts.get(code)]


def index_one(object_type: str, object_id: int, build) -> None:
    """Write one object's entry, or remove it when `build` gives none (unpublished,
    private, deleted)."""
    entries = build([object_id])
    if entries:
        services.write_entries(entries)
    else:
        services.remove_entry(object_type, object_id)
