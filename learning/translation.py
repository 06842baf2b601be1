from modeltranslation.translator import TranslationOptions, register

from .models import LearningNeed, Partnership


@register(LearningNeed)
class LearningNeedTranslation(TranslationOptions):
    fields = ("title", "problem", "context")


@register(Partnership)
class PartnershipTranslation(TranslationOptions):
    fields = ("title", "objectives")


from . import translation_groups  # noqa: E402, F401 - learning groups register their own fields
