from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NeedStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("learning need status", "Open")
    MATCHED = "matched", pgettext_lazy("learning need status", "Matched")
    IN_PARTNERSHIP = "in_partnership", _("In partnership")
    MET = "met", _("Met")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class NeedVisibility(models.TextChoices):
    PUBLISHED = "published", _("Published to the network")
    PRIVATE = "private", _("The city and the secretariat only")


class Urgency(models.TextChoices):
    LOW = "low", _("Within a year")
    MEDIUM = "medium", _("Within six months")
    HIGH = "high", _("Urgent")


class LearningMode(models.TextChoices):
    STUDY_VISIT = "study_visit", _("Study visit")
    MENTORING = "mentoring", _("Mentoring")
    WEBINAR = "webinar", _("Webinar")
    DOCUMENTS = "documents", _("Documents")


# The needs that count as demand on the learning agenda: not yet met, not withdrawn, not
# already answered by a partnership.
DEMAND_STATUSES = (NeedStatus.OPEN, NeedStatus.MATCHED)

# A need's texts are short by design; this bounds what a form or the API accepts.
MAX_TITLE_LENGTH = 250
MAX_TEXT_LENGTH = 5000


class LearningNeedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(visibility=NeedVisibility.PUBLISHED).exclude(status=NeedStatus.WITHDRAWN)

    def demand(self):
        return self.filter(status__in=DEMAND_STATUSES)


class LearningNeed(models.Model):
    """What a city wants to learn, in its own words and language."""

    city = models.ForeignKey(
        "network.Organisation",
        on_delete=models.CASCADE,
        related_name="learning_needs",
        verbose_name=_("city"),
    )
    # The city's region and size class, copied here (kept by save() and `learning.copies`)
    # so that the list's filters and the agenda's counts read this table and its indexes.
    region = models.ForeignKey(
        "network.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("region"),
    )
    size_class = models.CharField(_("size class"), max_length=20, blank=True, editable=False)
    title = models.CharField(_("title"), max_length=250)
    problem = models.TextField(_("the problem"))
    context = models.TextField(_("context"), blank=True)
    original_language = models.CharField(
        _("original language"), max_length=2, choices=settings.LANGUAGES, default="en"
    )
    themes = models.ManyToManyField(
        "library.Theme", blank=True, related_name="learning_needs", verbose_name=_("themes")
    )
    sdgs = models.ManyToManyField(
        "library.SDG", blank=True, related_name="learning_needs", verbose_name=_("SDGs")
    )
    # Codes of LearningMode, in the city's order of preference.
    learning_modes = models.JSONField(_("preferred ways of learning"), default=list, blank=True)
    # Codes of settings.LANGUAGES the city's team works in.
    working_languages = models.JSONField(_("working languages"), default=list, blank=True)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.MEDIUM
    )
    status = models.CharField(
        _("status"), max_length=20, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=NeedVisibility.choices,
        default=NeedVisibility.PUBLISHED,
    )
    contact = models.ForeignKey(
        "network.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="learning_needs",
        verbose_name=_("contact person"),
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

    objects = LearningNeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("learning need")
        verbose_name_plural = _("learning needs")
        indexes = [
            models.Index(fields=["status", "-created_at"], name="need_status_created"),
            models.Index(fields=["city", "status"], name="need_city_status"),
            models.Index(fields=["visibility", "status"], name="need_visibility_status"),
            models.Index(fields=["-created_at", "-id"], name="need_created"),
            # The public list: published needs, newest first, read from the index in order.
            models.Index(
                fields=["visibility", "-created_at", "-id"], name="need_visibility_created"
            ),
            # The agenda's cache key reads the latest change.
            models.Index(fields=["updated_at"], name="need_updated"),
            models.Index(fields=["original_language", "-created_at"], name="need_language_created"),
            # The list's filters by place, and the counts of their pages.
            models.Index(
                fields=["region", "size_class", "visibility", "status", "-created_at"],
                name="need_place",
            ),
            models.Index(fields=["size_class", "visibility", "status"], name="need_size"),
            models.Index(
                fields=["original_language", "status", "visibility"], name="need_language_status"
            ),
            # The agenda's grouped counts read this index alone.
            models.Index(
                fields=["status", "visibility", "region", "size_class", "created_at"],
                name="need_agenda",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "city" in update_fields:
            city = self.city
            self.region_id, self.size_class = city.region_id, city.size_class or ""
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "region", "size_class"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("learning:need", args=[self.pk])

    def translation_languages(self) -> list[str]:
        """The languages in which this need has a title, the original first."""
        others = [
            code
            for code in settings.LANGUAGE_CODES
            if code != self.original_language and getattr(self, f"title_{code}", "")
        ]
        return [self.original_language, *others]


class NeedStatusChange(models.Model):
    """One change of a need's status: who changed it, when, from what to what, and why."""

    need = models.ForeignKey(
        LearningNeed,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("learning need"),
    )
    old_status = models.CharField(
        _("previous status"), max_length=20, choices=NeedStatus.choices, blank=True
    )
    new_status = models.CharField(_("new status"), max_length=20, choices=NeedStatus.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["need", "changed_at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.need_id}: {self.old_status} → {self.new_status}"


def copy_city_place(city_ids=None) -> int:
    """Copy each city's region and size class onto its needs (all cities, or these).

    Needs written in bulk (imports, benchmarks) and cities the directory changed (see
    `learning.copies`) are brought up to date here; returns how many needs changed.
    """
    from network.models import Organisation

    cities = Organisation.objects.filter(pk=models.OuterRef("city_id"))
    needs = LearningNeed.objects.all()
    if city_ids is not None:
        needs = needs.filter(city_id__in=list(city_ids))
    return needs.update(
        region_id=models.Subquery(cities.values("region_id")[:1]),
        size_class=Coalesce(models.Subquery(cities.values("size_class")[:1]), models.Value("")),
    )
