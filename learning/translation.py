from modeltranslation.translator import TranslationOptions, register

from learning.models import (
    Activity,
    AgendaPriority,
    AssessmentCriterion,
    Indicator,
    LearningNeed,
    LearningNote,
    Milestone,
    Partnership,
    RoadmapItem,
)


@register(LearningNeed)
class LearningNeedTranslation(TranslationOptions):
    fields = ("title", "problem", "context")


@register(Partnership)
class PartnershipTranslation(TranslationOptions):
    fields = ("title", "objectives", "outcomes")


@register(Milestone)
class MilestoneTranslation(TranslationOptions):
    fields = ("title",)


@register(Activity)
class ActivityTranslation(TranslationOptions):
    fields = ("title", "outcome")


@register(AssessmentCriterion)
class AssessmentCriterionTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = ("name",)


@register(LearningNote)
class LearningNoteTranslation(TranslationOptions):
    fields = ("title", "context", "challenges", "reflections", "lessons")


@register(RoadmapItem)
class RoadmapItemTranslation(TranslationOptions):
    fields = ("text",)


@register(AgendaPriority)
class AgendaPriorityTranslation(TranslationOptions):
    fields = ("title", "description")


from learning.groups import translation as groups_translation  # noqa: E402, F401 - learning groups register their own fields
