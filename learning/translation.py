from modeltranslation.translator import TranslationOptions, register

from .models import LearningNeed


@register(LearningNeed)
class LearningNeedTranslation(TranslationOptions):
    fields = ("title", "problem", "context")
