"""The end of a partnership: each party's evaluation and the learning note with its roadmap."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Evaluation(models.Model):
    """One party's evaluation of a finished partnership."""

    partnership = models.ForeignKey(
        "learning.Partnership",
        on_delete=models.CASCADE,
        related_name="evaluations",
        verbose_name=_("partnership"),
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        related_name="partnership_evaluations",
        verbose_name=_("party"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    rating = models.PositiveSmallIntegerField(
        _("overall rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    what_worked = models.TextField(_("what worked"))
    what_to_improve = models.TextField(_("what could be improved"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now=True)

    class Meta:
        ordering = ["partnership", "organisation"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="evaluation_one_per_party"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="evaluation_rating_1_5"
            ),
        ]

    def __str__(self):
        return f"{self.partnership_id} / {self.organisation_id}"


class NoteStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class LearningNote(models.Model):
    """What a partnership learned, written up for the next city (a peer-learning note)."""

    partnership = models.OneToOneField(
        "learning.Partnership",
        on_delete=models.CASCADE,
        related_name="learning_note",
        verbose_name=_("partnership"),
    )
    original_language = models.CharField(
        _("original language"), max_length=2, choices=settings.LANGUAGES, default="en"
    )
    title = models.CharField(_("title"), max_length=250)
    context = models.TextField(_("context"))
    challenges = models.TextField(_("challenges"), blank=True)
    reflections = models.TextField(_("shared reflections"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=NoteStatus.choices, default=NoteStatus.DRAFT
    )
    # The knowledge-base document that carries the published note to search.
    document = models.OneToOneField(
        "library.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="learning_note",
        verbose_name=_("document"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("learning note")
        verbose_name_plural = _("learning notes")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("learning:note", args=[self.partnership_id])


class RoadmapItem(models.Model):
    """An action a learning note recommends; it may become an action of the action plan."""

    note = models.ForeignKey(
        LearningNote, on_delete=models.CASCADE, related_name="roadmap", verbose_name=_("note")
    )
    text = models.CharField(_("action"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    action = models.OneToOneField(
        "actions.Action",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roadmap_item",
        verbose_name=_("action of the action plan"),
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("roadmap item")
        verbose_name_plural = _("roadmap items")

    def __str__(self):
        return self.text
