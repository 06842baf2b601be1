"""Matchmaking: the concept index of experiences and needs, and set-aside suggestions.

The index tables are derived data (rebuilt from the texts at any time by
`learning.matching.index`); the dismissals are what a city decided, audited.
"""

from django.conf import settings
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _


class ExperienceConcept(models.Model):
    """One concept of a published experience and its weight (an inverted-index posting).

    `weight` is the concept's tf-idf weight in the experience's vector, normalised so
    that the vector's length is 1: the sum over shared concepts is a cosine.
    """

    experience = models.ForeignKey(
        "library.Experience", on_delete=models.CASCADE, related_name="match_concepts"
    )
    concept = models.CharField(max_length=90)
    weight = models.FloatField()

    class Meta:
        verbose_name = _("concept of an experience")
        verbose_name_plural = _("concepts of experiences")
        # Candidate generation reads (concept, experience, weight) from the index alone.
        indexes = [
            models.Index(fields=["concept", "experience", "weight"], name="match_exp_concept"),
            models.Index(fields=["experience"], name="match_exp_concept_exp"),
        ]

    def __str__(self):
        return f"{self.concept} {self.weight:.3f}"


class NeedConcept(models.Model):
    """One concept of a learning need and its weight (for "needs this experience answers")."""

    need = models.ForeignKey(
        "learning.LearningNeed", on_delete=models.CASCADE, related_name="match_concepts"
    )
    concept = models.CharField(max_length=90)
    weight = models.FloatField()

    class Meta:
        verbose_name = _("concept of a need")
        verbose_name_plural = _("concepts of needs")
        indexes = [
            models.Index(fields=["concept", "need", "weight"], name="match_need_concept"),
            models.Index(fields=["need"], name="match_need_concept_need"),
        ]

    def __str__(self):
        return f"{self.concept} {self.weight:.3f}"


class ConceptFrequency(models.Model):
    """How many experiences and needs mention a concept (the idf of the ranking).

    The row with concept "" counts the indexed experiences and needs themselves.
    """

    concept = models.CharField(max_length=90, unique=True)
    experiences = models.PositiveIntegerField(default=0)
    needs = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("concept frequency")
        verbose_name_plural = _("concept frequencies")

    def __str__(self):
        return f"{self.concept}: {self.experiences}/{self.needs}"


class DismissalReason(models.TextChoices):
    NOT_RELEVANT = "not_relevant", _("Not the same problem")
    TOO_FAR = "too_far", _("Too far away")
    DIFFERENT_SIZE = "different_size", _("A city of a different size")
    LANGUAGE = "language", _("No language in common")
    ALREADY_KNOWN = "already_known", _("We already know this city or experience")
    OTHER = "other", _("Another reason")


class SuggestionDismissal(models.Model):
    """A suggestion the city set aside for one need, with why.

    The item no longer appears for this need, and its reason lowers similar
    suggestions (see `learning.matching.engine` for how).
    """

    need = models.ForeignKey(
        "learning.LearningNeed",
        on_delete=models.CASCADE,
        related_name="dismissals",
        verbose_name=_("learning need"),
    )
    experience = models.ForeignKey(
        "library.Experience",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("experience"),
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("peer city"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=DismissalReason.choices)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set aside by"),
    )
    created_at = models.DateTimeField(_("set aside at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("set-aside suggestion")
        verbose_name_plural = _("set-aside suggestions")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(experience__isnull=False, organisation__isnull=True)
                    | models.Q(experience__isnull=True, organisation__isnull=False)
                ),
                name="dismissal_one_item",
            ),
            models.UniqueConstraint(
                fields=["need", "experience"],
                condition=models.Q(experience__isnull=False),
                name="dismissal_unique_experience",
            ),
            models.UniqueConstraint(
                fields=["need", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="dismissal_unique_organisation",
            ),
        ]

    def __str__(self):
        return f"{self.need_id}: {self.get_reason_display()}"


# The concept index follows every save of an experience or a need, in the same
# transaction: it costs a few queries, and a suggestion list that lags behind what a
# city just wrote would look broken. Bulk writes (the import) index themselves.


@receiver(post_save, sender="library.Experience", dispatch_uid="match_index_experience")
def _experience_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        from learning.matching import index

        index.index_experiences([instance.pk])


@receiver(post_save, sender="learning.LearningNeed", dispatch_uid="match_index_need")
def _need_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        from learning.matching import index

        index.index_needs([instance.pk])


@receiver(post_delete, sender="library.Experience", dispatch_uid="match_unindex_experience")
def _experience_deleted(sender, instance, **kwargs):
    from learning.matching import index

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
    from learning.matching import index
    from learning.models import LearningNeed

    if isinstance(instance, LearningNeed):
        index.index_needs([instance.pk])
    else:
        index.index_experiences([instance.pk])


for _table in _TAXONOMY_TABLES:
    m2m_changed.connect(_taxonomy_changed, sender=_table, dispatch_uid=f"match_{_table}")
