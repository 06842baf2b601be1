"""The learning programme: needs, the agenda, matchmaking, partnerships and learning groups.

One module per part; every model is importable from ``learning.models``.
"""

from .needs import LearningMode, LearningNeed, NeedStatus, NeedVisibility, Urgency

__all__ = ["LearningMode", "LearningNeed", "NeedStatus", "NeedVisibility", "Urgency"]
