"""Names of the platform's languages as they read in a sentence of the active language."""

from django.conf import settings
from django.utils.translation import get_language


def language_name(code: str, *, in_sentence: bool = False) -> str:
    """The name of language `code` in the active language.

    French and Spanish write language names in lower case inside a sentence ("rédigé en
    français", "redactado en español"); English keeps its capital.
    """
    name = str(dict(settings.LANGUAGES).get(code, code))
    if in_sentence and (get_language() or "en")[:2] in {"fr", "es"}:
        return name[:1].lower() + name[1:]
    return name
