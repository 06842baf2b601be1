from modeltranslation.translator import TranslationOptions, register

from .models import AgendaItem, Decision, ExternalEvent, Meeting, Representation


@register(Meeting)
class MeetingTranslation(TranslationOptions):
    fields = ("title", "purpose")


@register(AgendaItem)
class AgendaItemTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Decision)
class DecisionTranslation(TranslationOptions):
    fields = ("text",)


@register(ExternalEvent)
class ExternalEventTranslation(TranslationOptions):
    fields = ("title",)


@register(Representation)
class RepresentationTranslation(TranslationOptions):
    fields = ("mandate",)
