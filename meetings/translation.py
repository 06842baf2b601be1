from modeltranslation.translator import TranslationOptions, register

from .models import AgendaItem, Decision, Meeting


@register(Meeting)
class MeetingTranslation(TranslationOptions):
    fields = ("title", "purpose")


@register(AgendaItem)
class AgendaItemTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Decision)
class DecisionTranslation(TranslationOptions):
    fields = ("text",)
