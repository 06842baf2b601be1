"""Names of the platform's languages as they read in a sentence of the active language."""

from django.conf import settings
from django.utils.translation import get_language, gettext_noop

# Django's own strings its catalogues leave untranslated in a language of the platform
# (6.1 has no Spanish for the empty choice of model forms). Listed here, they enter the
# project's catalogues, which Django reads before its own.
DJANGO_STRINGS = [gettext_noop("- Select an option -")]


def language_name(code: str, *, in_sentence: bool = False) -> str:
    """The name of language `code` in the active language.

    French and Spanish write language names in lower case inside a sentence ("rédigé en
    français", "redactado en español"); English keeps its capital.
    """
    name = str(dict(settings.LANGUAGES).get(code, code))
    if in_sentence and (get_language() or "en")[:2] in {"fr", "es"}:
        return name[:1].lower() + name[1:]
    return name
