from modeltranslation.translator import TranslationOptions, register

from .models import AgendaPriority, LearningNeed, Partnership


@register(LearningNeed)
class LearningNeedTranslation(TranslationOptions):
    fields = ("title", "problem", "context")


@register(Partnership)
class PartnershipTranslation(TranslationOptions):
    fields = ("title", "objectives")


@register(AgendaPriority)
class AgendaPriorityTranslation(TranslationOptions):
    fields = ("title", "description")
