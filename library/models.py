"""The knowledge base: shared taxonomies, experiences (case studies) and documents.

Translated user content uses django-modeltranslation (`library/translation.py`); each
experience and document also records the language it was written in, so that readers
see which text is the original and which a translation.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Theme(models.Model):
    """A theme of urban policy, e.g. "housing and basic services"."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    label = models.CharField(_("label"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "key"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.label


class SDG(models.Model):
    """One of the 17 Sustainable Development Goals."""

    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    title = models.CharField(_("title"), max_length=120)

    class Meta:
        ordering = ["number"]
        verbose_name = _("Sustainable Development Goal")
        verbose_name_plural = _("Sustainable Development Goals")

    def __str__(self):
        return f"{self.number}. {self.title}"


class PlanningPrinciple(models.Model):
    """A principle of the UN International Guidelines on Urban and Territorial Planning."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        ordering = ["number"]
        verbose_name = _("planning principle")
        verbose_name_plural = _("planning principles")

    def __str__(self):
        return f"{self.number}. {self.title}"


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")


class ExperienceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)


class Experience(models.Model):
    """A case study a city can teach: what it did, how, with what results, who to ask."""

    city = models.ForeignKey(
        "network.Organisation",
        on_delete=models.CASCADE,
        related_name="experiences",
        verbose_name=_("city"),
    )
    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(_("summary"), blank=True)
    problem = models.TextField(_("problem"), blank=True)
    approach = models.TextField(_("approach"), blank=True)
    results = models.TextField(_("results"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    original_language = models.CharField(
        _("original language"), max_length=2, choices=settings.LANGUAGES, default="en"
    )
    start_year = models.PositiveSmallIntegerField(_("from (year)"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("to (year)"), null=True, blank=True)
    contact = models.ForeignKey(
        "network.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="experiences",
        verbose_name=_("contact person"),
    )
    themes = models.ManyToManyField(Theme, blank=True, verbose_name=_("themes"))
    sdgs = models.ManyToManyField(SDG, blank=True, verbose_name=_("SDGs"))
    principles = models.ManyToManyField(
        PlanningPrinciple, blank=True, verbose_name=_("planning principles")
    )
    offers_peer_learning = models.BooleanField(
        _("the city offers to host peer learning on it"), default=False
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    review_note = models.TextField(_("review note"), blank=True)
    # The identifier given by the system an experience was imported from; importing the same
    # reference again updates the experience instead of creating another.
    external_ref = models.CharField(
        _("external reference"), max_length=120, unique=True, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ExperienceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("experience")
        verbose_name_plural = _("experiences")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="experience_status_pub"),
            models.Index(fields=["city", "status"], name="experience_city_status"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("library:experience", args=[self.pk])

    @property
    def period(self) -> str:
        if self.start_year and self.end_year and self.end_year != self.start_year:
            return f"{self.start_year}–{self.end_year}"
        return str(self.start_year or self.end_year or "")

    def translation_languages(self) -> list[str]:
        """The languages in which this experience has a title, the original first."""
        others = [
            code
            for code in settings.LANGUAGE_CODES
            if code != self.original_language and getattr(self, f"title_{code}", "")
        ]
        return [self.original_language, *others]


def attachment_path(instance, filename):
    return f"library/experiences/{instance.experience_id}/{filename}"


class ExperienceAttachment(models.Model):
    experience = models.ForeignKey(
        Experience,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("experience"),
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    language = models.CharField(
        _("language"), max_length=2, choices=settings.LANGUAGES, default="en"
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title


class DocumentKind(models.TextChoices):
    REPORT = "report", _("Report")
    FRAMEWORK = "framework", _("Framework document")
    POLICY_PAPER = "policy_paper", _("Policy paper")
    GUIDELINE = "guideline", _("Guideline")
    LEARNING_NOTE = "learning_note", _("Learning note")
    OTHER = "other", _("Other")


class DocumentVisibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members only")


class DocumentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def visible_to_public(self):
        return self.published().filter(visibility=DocumentVisibility.PUBLIC)


class Document(models.Model):
    """A report, framework document, policy paper... with its versions and language files."""

    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=300)
    abstract = models.TextField(_("abstract"), blank=True)
    original_language = models.CharField(
        _("original language"), max_length=2, choices=settings.LANGUAGES, default="en"
    )
    date = models.DateField(_("date"), null=True, blank=True)
    authors = models.ManyToManyField(
        "network.Organisation", blank=True, related_name="documents", verbose_name=_("authors")
    )
    commissions = models.ManyToManyField(
        "commissions.Commission",
        blank=True,
        related_name="documents",
        verbose_name=_("commissions"),
    )
    meetings = models.ManyToManyField(
        "meetings.Meeting", blank=True, related_name="documents", verbose_name=_("meetings")
    )
    workstreams = models.ManyToManyField(
        "actions.Workstream", blank=True, related_name="documents", verbose_name=_("workstreams")
    )
    actions = models.ManyToManyField(
        "actions.Action", blank=True, related_name="documents", verbose_name=_("actions")
    )
    themes = models.ManyToManyField(Theme, blank=True, verbose_name=_("themes"))
    sdgs = models.ManyToManyField(SDG, blank=True, verbose_name=_("SDGs"))
    principles = models.ManyToManyField(
        PlanningPrinciple, blank=True, verbose_name=_("planning principles")
    )
    # Free keywords, lower case, e.g. ["rabat-2013", "learning agenda"].
    tags = models.JSONField(_("tags"), default=list, blank=True)
    visibility = models.CharField(
        _("visible to"),
        max_length=10,
        choices=DocumentVisibility.choices,
        default=DocumentVisibility.PUBLIC,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [
            models.Index(fields=["status", "visibility", "-date"], name="document_status_date"),
            models.Index(fields=["kind", "-date"], name="document_kind_date"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("library:document", args=[self.pk])

    def current_version(self):
        """The final version if there is one, else the latest draft."""
        versions = sorted(self.versions.all(), key=lambda v: (v.is_final, v.number))
        return versions[-1] if versions else None


class DocumentVersion(models.Model):
    """A version of a document: drafts, then the final text."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="versions", verbose_name=_("document")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    label = models.CharField(_("label"), max_length=100, blank=True)
    is_final = models.BooleanField(_("final version"), default=False)
    date = models.DateField(_("date"), null=True, blank=True)

    class Meta:
        ordering = ["document", "number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="unique_document_version")
        ]

    def __str__(self):
        return self.label or _("Version %(number)s") % {"number": self.number}


def document_file_path(instance, filename):
    return f"library/documents/{instance.version.document_id}/{instance.version.number}/{filename}"


class DocumentFile(models.Model):
    """The file of one version in one language, with its text extracted for search."""

    version = models.ForeignKey(
        DocumentVersion, on_delete=models.CASCADE, related_name="files", verbose_name=_("version")
    )
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    file = models.FileField(_("file"), upload_to=document_file_path, max_length=300)
    extracted_text = models.TextField(_("extracted text"), blank=True, editable=False)
    # Why the background worker could not read the file's text (empty when it could).
    extraction_problem = models.CharField(
        _("text extraction problem"), max_length=300, blank=True, editable=False
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["version", "language"]
        verbose_name = _("document file")
        verbose_name_plural = _("document files")
        constraints = [
            models.UniqueConstraint(fields=["version", "language"], name="unique_file_language")
        ]

    def __str__(self):
        return f"{self.version} ({self.language})"


class ItemKind(models.TextChoices):
    RECOMMENDATION = "recommendation", _("Recommendation")
    CONCLUSION = "conclusion", _("Conclusion")


class DocumentItem(models.Model):
    """A recommendation or conclusion drawn from a document, to be followed up."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="items", verbose_name=_("document")
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=ItemKind.choices, default=ItemKind.RECOMMENDATION
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))
    principles = models.ManyToManyField(
        PlanningPrinciple, blank=True, verbose_name=_("planning principles")
    )
    # The actions that follow this recommendation or conclusion up.
    actions = models.ManyToManyField(
        "actions.Action",
        blank=True,
        related_name="document_items",
        verbose_name=_("follow-up actions"),
    )

    class Meta:
        ordering = ["document", "number"]
        verbose_name = _("document item")
        verbose_name_plural = _("document items")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="unique_document_item")
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:60]}"
