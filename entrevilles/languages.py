"""The platform's languages: their codes, the order in which translated content falls
back, the translated column in the reader's language, and their names as they read in a
sentence of the active language.

User content keeps its original language; each translated field has one column per
language (`title_en`, `title_fr`, `title_es`, by django-modeltranslation), and what a
reader sees falls back in the order of `fallback_order`.
"""

from collections.abc import Iterable, Mapping

from django.conf import settings
from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language, gettext_noop
from modeltranslation.utils import resolution_order

# The platform's languages, in the settings' order: ("en", "fr", "es").
CODES: tuple[str, ...] = tuple(settings.LANGUAGE_CODES)


def reader_language() -> str:
    """The active language's code, the site's default outside a request."""
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def fallback_order(language: str | None = None) -> list[str]:
    """The languages a translated text is looked for in, for a reader of `language` (the
    active one by default): theirs first, then modeltranslation's fallbacks."""
    return list(dict.fromkeys([*resolution_order(language or reader_language()), *CODES]))


def first_translation(values: Mapping, name: str, order: Iterable[str]) -> str:
    """The first non-empty `name_<code>` of `values` in `order`, else `values[name]`."""
    for code in order:
        value = values.get(f"{name}_{code}")
        if value:
            return value
    return values.get(name) or ""


def translated(field: str) -> Coalesce:
    """A translated column in the reader's language, with the fallbacks (an empty text
    falls back too), computed by the database."""
    return Coalesce(
        *(NullIf(F(f"{field}_{code}"), Value("")) for code in fallback_order()),
        Value(""),
        output_field=CharField(),
    )


def language_columns(fields: Iterable[str]) -> list[str]:
    """Translated fields with their language columns (`title`, `title_en`, …): left to
    the services to check, since the original language, not English, is the one that
    must be filled in."""
    return [name for field in fields for name in (field, *(f"{field}_{code}" for code in CODES))]


# Django's own strings its catalogues leave untranslated in a language of the platform
# (6.1 has no Spanish for the empty choice of model forms). Listed here, they enter the
# project's catalogues, which Django reads before its own.
DJANGO_STRINGS = [
    gettext_noop("- Select an option -"),
    # The back office's page titles: Django's French ("Ajout de organisation") elides
    # nothing before a vowel.
    gettext_noop("Add %s"),
    gettext_noop("Change %s"),
    gettext_noop("View %s"),
]


def as_in_sentence(name) -> str:
    """A language's name as it reads inside a sentence of the active language: French and
    Spanish write language names in lower case ("rédigé en français", "redactado en
    español"); English keeps its capital."""
    name = str(name)
    if (get_language() or "en")[:2] in {"fr", "es"}:
        return name[:1].lower() + name[1:]
    return name


def language_name(code: str, *, in_sentence: bool = False) -> str:
    """The name of language `code` in the active language; with `in_sentence`, as it
    reads inside a sentence (see `as_in_sentence`)."""
    name = str(dict(settings.LANGUAGES).get(code, code))
    return as_in_sentence(name) if in_sentence else name
