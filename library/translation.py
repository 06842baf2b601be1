from modeltranslation.translator import TranslationOptions, register

from .models import SDG, Document, DocumentItem, Experience, PlanningPrinciple, Theme


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("label",)


@register(SDG)
class SDGTranslation(TranslationOptions):
    fields = ("title",)


@register(PlanningPrinciple)
class PlanningPrincipleTranslation(TranslationOptions):
    fields = ("title",)


@register(Experience)
class ExperienceTranslation(TranslationOptions):
    fields = ("title", "summary", "problem", "approach", "results", "lessons")


@register(Document)
class DocumentTranslation(TranslationOptions):
    fields = ("title", "abstract")


@register(DocumentItem)
class DocumentItemTranslation(TranslationOptions):
    fields = ("text",)
