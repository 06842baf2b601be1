"""The learning programme: needs, the agenda, matchmaking, partnerships and learning groups.

One module per part; every model is importable from ``learning.models``.
"""

from learning.models.agenda import AgendaPriority
from learning.models.groups import (
    GroupConclusion,
    GroupMembership,
    GroupSession,
    GroupVisibility,
    LearningGroup,
)
from learning.models.matching import (
    ConceptFrequency,
    DismissalReason,
    ExperienceConcept,
    NeedConcept,
    SuggestionDismissal,
)
from learning.models.monitoring import (
    AssessmentCriterion,
    AssessmentScore,
    Indicator,
    IndicatorValue,
    MonitoringReport,
    ReportStatus,
)
from learning.models.needs import (
    LearningMode,
    LearningNeed,
    NeedStatus,
    NeedStatusChange,
    NeedVisibility,
    Urgency,
)
from learning.models.notes import Evaluation, LearningNote, NoteStatus, RoadmapItem
from learning.models.partnerships import (
    Activity,
    ActivityKind,
    Milestone,
    Partnership,
    PartnershipParty,
    PartnershipStatus,
    PartnershipStatusChange,
    PartyResponse,
    PartyRole,
)

__all__ = [
    "AgendaPriority",
    "NeedStatusChange",
    "ConceptFrequency",
    "DismissalReason",
    "ExperienceConcept",
    "NeedConcept",
    "SuggestionDismissal",
    "Activity",
    "ActivityKind",
    "AssessmentCriterion",
    "AssessmentScore",
    "Evaluation",
    "Indicator",
    "IndicatorValue",
    "LearningNote",
    "Milestone",
    "MonitoringReport",
    "NoteStatus",
    "PartnershipStatusChange",
    "ReportStatus",
    "RoadmapItem",
    "GroupConclusion",
    "GroupMembership",
    "GroupSession",
    "GroupVisibility",
    "LearningGroup",
    "LearningMode",
    "LearningNeed",
    "NeedStatus",
    "NeedVisibility",
    "Partnership",
    "PartnershipParty",
    "PartnershipStatus",
    "PartyResponse",
    "PartyRole",
    "Urgency",
]
