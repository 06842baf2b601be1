"""The learning programme: needs, the agenda, matchmaking, partnerships and learning groups.

One module per part; every model is importable from ``learning.models``.
"""

from .agenda import AgendaPriority
from .needs import (
    LearningMode,
    LearningNeed,
    NeedStatus,
    NeedStatusChange,
    NeedVisibility,
    Urgency,
)
from .matching import (
    ConceptFrequency,
    DismissalReason,
    ExperienceConcept,
    NeedConcept,
    SuggestionDismissal,
)
from .partnerships import (
    Partnership,
    PartnershipParty,
    PartnershipStatus,
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
