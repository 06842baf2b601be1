from modeltranslation.translator import TranslationOptions, register

from .models import Commission


@register(Commission)
class CommissionTranslation(TranslationOptions):
    fields = ("name", "mandate")
