"""The learning programme: needs, the agenda, matchmaking, partnerships and learning groups.

One module per part; every model is importable from ``learning.models``.
"""

from .groups import (
    GroupConclusion,
    GroupMembership,
    GroupSession,
    GroupVisibility,
    LearningGroup,
)
from .needs import LearningMode, LearningNeed, NeedStatus, NeedVisibility, Urgency
from .partnerships import (
    Partnership,
    PartnershipParty,
    PartnershipStatus,
    PartyResponse,
    PartyRole,
)

__all__ = [
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
