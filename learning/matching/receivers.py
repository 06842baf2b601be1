"""The concept index follows every save of an experience or a need, in the same
transaction: it costs a few queries, and a suggestion list that lags behind what a city
just wrote would look broken. Bulk writes (the import) index themselves.

Connected when the module is imported, from `LearningConfig.ready`.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from learning.matching import index
from learning.models import LearningNeed


@receiver(post_save, sender="library.Experience", dispatch_uid="match_index_experience")
def _experience_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index.index_experiences([instance.pk])


@receiver(post_save, sender="learning.LearningNeed", dispatch_uid="match_index_need")
def _need_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index.index_needs([instance.pk])


@receiver(post_delete, sender="library.Experience", dispatch_uid="match_unindex_experience")
def _experience_deleted(sender, instance, **kwargs):
    index.forget_experience_frequencies([instance.pk])


# The auto-created tables of the themes and SDGs of experiences and needs.
_TAXONOMY_TABLES = (
    "library.Experience_themes",
    "library.Experience_sdgs",
    "learning.LearningNeed_themes",
    "learning.LearningNeed_sdgs",
)


def _taxonomy_changed(sender, instance, action, reverse, **kwargs):
    """Re-index when the themes or SDGs of an experience or a need change."""
    if action not in ("post_add", "post_remove", "post_clear") or reverse:
        return
    if isinstance(instance, LearningNeed):
        index.index_needs([instance.pk])
    else:
        index.index_experiences([instance.pk])


for _table in _TAXONOMY_TABLES:
    m2m_changed.connect(_taxonomy_changed, sender=_table, dispatch_uid=f"match_{_table}")
