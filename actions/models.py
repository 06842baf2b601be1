"""The action plan: workstreams, actions with owners and due dates, and their updates."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class Workstream(models.Model):
    """A line of work owned by one or several commissions, usually opened by a meeting."""

    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    commissions = models.ManyToManyField(
        "commissions.Commission", related_name="workstreams", verbose_name=_("commissions")
    )
    opened_by = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workstreams",
        verbose_name=_("opened by the meeting"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("workstream")
        verbose_name_plural = _("workstreams")

    def __str__(self):
        return self.title


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    BLOCKED = "blocked", _("Blocked")
    DROPPED = "dropped", _("Dropped")


OPEN_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.BLOCKED)


class Priority(models.IntegerChoices):
    HIGH = 1, _("High")
    NORMAL = 2, _("Normal")
    LOW = 3, _("Low")


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today=None):
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def overdue_first(self, today=None):
        """Late open actions first, then by due date (undated last), then by priority."""
        today = today or timezone.localdate()
        return self.annotate(
            late=models.Case(
                models.When(status__in=OPEN_STATUSES, due_date__lt=today, then=0),
                default=1,
                output_field=models.IntegerField(),
            ),
            closed=models.Case(
                models.When(status__in=OPEN_STATUSES, then=0),
                default=1,
                output_field=models.IntegerField(),
            ),
        ).order_by("late", "closed", models.F("due_date").asc(nulls_last=True), "priority", "id")

    def soonest_first(self):
        """For open actions only: by due date, late ones being the earliest, undated last."""
        return self.order_by(models.F("due_date").asc(nulls_last=True), "priority", "id")

    def soonest_pages(
        self, counts: tuple[int, int] | None = None, *, rows: bool = False
    ) -> "SoonestFirst":
        """The same order, read page by page along the due date index (see SoonestFirst);
        `counts` (dated, undated), when the caller knows them, saves counting; `rows`
        reads the pages as for_rows() values."""
        return SoonestFirst(self, counts, rows=rows)

    def for_list(self):
        """What a table of actions shows: the titles, owners' names and the workstream's
        title, without descriptions nor the columns no list displays."""
        from commissions.models import Commission
        from network.models import Organisation, Person

        translated = ("title", "title_en", "title_fr", "title_es")
        names = ("name", "name_en", "name_fr", "name_es")
        return (
            self.select_related("workstream")
            .only(
                *translated,
                "status",
                "due_date",
                "progress",
                "priority",
                *(f"workstream__{f}" for f in translated),
            )
            .prefetch_related(
                models.Prefetch("owner_organisations", Organisation.objects.only(*names)),
                models.Prefetch("owner_commissions", Commission.objects.only("slug", *names)),
                models.Prefetch(
                    "owner_people", Person.objects.only("first_name", "last_name", "organisation")
                ),
            )
        )

    def for_rows(self):
        """The values an action table shows (see actions.tables), as dictionaries: the
        title and the workstream's title in the reader's language."""
        from entrevilles.languages import translated

        return self.annotate(
            row_title=translated("title"), row_workstream=translated("workstream__title")
        ).values(
            "pk", "row_title", "row_workstream", "workstream_id", "due_date", "status", "progress"
        )

    def with_owners(self):
        return self.select_related("workstream", "decision__meeting").prefetch_related(
            "owner_organisations",
            "owner_commissions",
            "owner_people",
            "workstream__commissions",
        )


class SoonestFirst:
    """Open actions by due date (late ones first), undated ones last, read a page at a time.

    "ORDER BY due_date NULLS LAST" cannot walk an index on SQLite, where NULLs sort first:
    every open action was sorted for each page. The dated actions and the undated ones are
    read instead as two parts in index order. Paginator accepts it as its object list.
    """

    def __init__(self, queryset, counts: tuple[int, int] | None = None, *, rows: bool = False):
        self.queryset = queryset
        self.dated = queryset.filter(due_date__isnull=False).order_by("due_date", "priority", "id")
        self.undated = queryset.filter(due_date__isnull=True).order_by("priority", "id")
        if rows:
            self.dated, self.undated = self.dated.for_rows(), self.undated.for_rows()
        self._counts = counts

    def _parts(self) -> tuple[int, int]:
        if self._counts is None:
            counts = self.queryset.order_by().aggregate(
                total=models.Count("id"),
                undated=models.Count("id", filter=models.Q(due_date__isnull=True)),
            )
            self._counts = (counts["total"] - counts["undated"], counts["undated"])
        return self._counts

    def count(self) -> int:
        return sum(self._parts())

    def __len__(self) -> int:
        return self.count()

    def first(self, n: int) -> list:
        """The n soonest, without counting them."""
        rows = list(self.dated[:n])
        if len(rows) < n:
            rows += list(self.undated[: n - len(rows)])
        return rows

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step is not None:
            raise TypeError("SoonestFirst supports slices only")
        dated, undated = self._parts()
        start = key.start or 0
        stop = dated + undated if key.stop is None else key.stop
        rows = []
        if start < dated:
            rows += list(self.dated[start : min(stop, dated)])
        if stop > dated:
            rows += list(self.undated[max(start - dated, 0) : stop - dated])
        return rows


class Action(models.Model):
    """Something to do, decided at a meeting or directly, followed until it is done."""

    workstream = models.ForeignKey(
        Workstream,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("workstream"),
    )
    decision = models.ForeignKey(
        "meetings.Decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("decision"),
    )
    title = models.CharField(_("title"), max_length=300)
    # The columns of each language, added by modeltranslation (translation.py).
    title_en: str | None
    title_fr: str | None
    title_es: str | None
    description = models.TextField(_("description"), blank=True)
    owner_organisations = models.ManyToManyField(
        "network.Organisation",
        blank=True,
        related_name="owned_actions",
        verbose_name=_("owner organisations"),
    )
    owner_commissions = models.ManyToManyField(
        "commissions.Commission",
        blank=True,
        related_name="owned_actions",
        verbose_name=_("owner commissions"),
    )
    owner_people = models.ManyToManyField(
        "network.Person", blank=True, related_name="owned_actions", verbose_name=_("owner people")
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        indexes = [
            # Covers the dashboard's grouped totals (no table read) and workstream filters.
            models.Index(
                fields=["workstream", "status", "due_date", "progress"], name="action_workstream"
            ),
            # Lets "soonest first" walk the index and stop after one page, instead of
            # sorting every open action. No index starts with the status: with one, SQLite
            # picked it and sorted all the open actions for every page.
            models.Index(fields=["due_date", "priority", "id"], name="action_due_order"),
            # The last change, read in one step: the cached totals' fingerprint.
            models.Index(fields=["updated_at"], name="action_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                name="action_progress_0_100", condition=models.Q(progress__lte=100)
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @cached_property
    def owner_names(self) -> str:
        """The owner organisations and commissions, for tables (from the prefetched owners)."""
        names = [o.name for o in self.owner_organisations.all()]
        names += [c.name for c in self.owner_commissions.all()]
        return ", ".join(names)

    @cached_property
    def owner_people_names(self) -> str:
        return ", ".join(p.full_name for p in self.owner_people.all())

    @property
    def is_overdue_now(self) -> bool:
        return self.is_overdue()

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.due_date is not None and self.due_date < today


def update_upload_to(instance, filename: str) -> str:
    return f"actions/{instance.action_id}/{filename}"


class ActionUpdate(models.Model):
    """A dated entry of an action's log, posted by one of its owners."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="updates", verbose_name=_("action")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("text"))
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    status_before = models.CharField(
        _("status before"), max_length=12, choices=ActionStatus.choices, blank=True
    )
    status_after = models.CharField(
        _("status after"), max_length=12, choices=ActionStatus.choices, blank=True
    )
    attachment = models.FileField(_("attachment"), upload_to=update_upload_to, blank=True)
    created_at = models.DateTimeField(_("posted at"), default=timezone.now)

    class Meta:
        ordering = ["action", "-created_at", "-id"]
        verbose_name = _("action update")
        verbose_name_plural = _("action updates")
        indexes = [models.Index(fields=["action", "created_at"], name="update_action_date")]

    def __str__(self):
        return f"{self.action}: {self.text[:60]}"
