"""Names of the platform's languages as they read in a sentence of the active language."""

from django.conf import settings
from django.utils.translation import get_language, gettext_noop

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
