"""Matchmaking: the concept index of experiences and needs, and set-aside suggestions.

The index tables are derived data (rebuilt from the texts at any time by
`learning.matching.index`); the dismissals are what a city decided, audited.
"""

from django.conf import settings
from django.db import models
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
