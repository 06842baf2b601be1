from modeltranslation.translator import TranslationOptions, register

from .models import Circular


@register(Circular)
class CircularTranslation(TranslationOptions):
    # No fallback between languages here: a missing version is shown as missing, and each
    # reader gets the circular's original language instead (Circular.language_for).
    fields = ("subject", "body")
    fallback_undefined = ""
