from modeltranslation.translator import TranslationOptions, register

from .models import Action, Workstream


@register(Workstream)
class WorkstreamTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Action)
class ActionTranslation(TranslationOptions):
    fields = ("title", "description")
