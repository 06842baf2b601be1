"""Translated fields of learning groups (name, purpose, session summaries, conclusions)."""

from modeltranslation.translator import TranslationOptions, register

from learning.models import GroupConclusion, GroupSession, LearningGroup


@register(LearningGroup)
class LearningGroupTranslation(TranslationOptions):
    fields = ("name", "purpose")


@register(GroupSession)
class GroupSessionTranslation(TranslationOptions):
    fields = ("summary",)


@register(GroupConclusion)
class GroupConclusionTranslation(TranslationOptions):
    fields = ("text",)
