import unicodedata

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from entrevilles import languages


def normalise_for_search(text: str) -> str:
    """Lower-case, accent-free form of a name, so that "Bogotá" is found by "bogota"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def search_name_for(names) -> str:
    """The search column's value for an organisation's names (every language's)."""
    return normalise_for_search(" ".join(sorted({name for name in names if name})))[:700]


# The languages the directory is sorted in: one sort key column each (sort_name_<code>).
SORT_LANGUAGES = languages.CODES


def sort_names_for(names: dict[str, str | None], fallback: str = "") -> dict[str, str]:
    """Each language's sort key: the name a reader of that language sees, accent-free and
    lower-case, so that "Écija" sorts with the e's and "World Secretariat" with the w's in
    English but "Secrétariat mondial" with the s's in French.

    The name shown falls back to the other languages' in their settings order, as the
    directory's rows do.
    """
    keys = {}
    for language in SORT_LANGUAGES:
        order = [language] + [code for code in SORT_LANGUAGES if code != language]
        shown = next((names.get(code) for code in order if names.get(code)), None) or fallback
        keys[f"sort_name_{language}"] = normalise_for_search(shown)[:200]
    return keys


def sort_name_column(language: str | None) -> str:
    """The sort key column of a language (English for any other)."""
    code = (language or "").split("-")[0]
    return f"sort_name_{code if code in SORT_LANGUAGES else 'en'}"


class Region(models.Model):
    """A world region of the network (a UCLG section)."""

    # "middle-east-west-asia" is 21 characters long.
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("world region")
        verbose_name_plural = _("world regions")

    def __str__(self):
        return self.name


class Country(models.Model):
    """A country of ISO 3166-1, with its names in the three languages."""

    code = models.CharField(_("ISO code"), max_length=2, unique=True)
    alpha3 = models.CharField(_("ISO alpha-3 code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="countries", verbose_name=_("region")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.name


class OrganisationKind(models.TextChoices):
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    REGIONAL_GOVERNMENT = "regional_government", _("Regional government")
    ASSOCIATION = "association", _("Association of local governments")
    PARTNER = "partner", _("Partner organisation")
    SECRETARIAT = "secretariat", _("Network secretariat")


class MembershipStatus(models.TextChoices):
    MEMBER = "member", _("Member")
    CANDIDATE = "candidate", _("Membership pending")
    FORMER = "former", _("Former member")
    NON_MEMBER = "non_member", _("Not a member")


class SizeClass(models.TextChoices):
    SMALL_TOWN = "small_town", _("Small town")
    INTERMEDIARY = "intermediary", _("Intermediary city")
    METROPOLIS = "metropolis", _("Metropolis")

    @classmethod
    def for_population(cls, population: int | None) -> str:
        """Size class of a population: under 50,000; 50,000 to 1,000,000; above."""
        if population is None:
            return ""
        if population < 50_000:
            return cls.SMALL_TOWN
        if population <= 1_000_000:
            return cls.INTERMEDIARY
        return cls.METROPOLIS


class OrganisationQuerySet(models.QuerySet):
    def members(self):
        return self.filter(membership_status=MembershipStatus.MEMBER)

    def governments(self):
        return self.filter(
            kind__in=[OrganisationKind.LOCAL_GOVERNMENT, OrganisationKind.REGIONAL_GOVERNMENT]
        )


class Organisation(models.Model):
    """A local or regional government, an association, a partner or a secretariat."""

    name = models.CharField(_("name"), max_length=200)
    # The columns of each language, added by modeltranslation (translation.py).
    name_en: str | None
    name_fr: str | None
    name_es: str | None
    # Accent-free, lower-case copy of every language's name, kept by the services.
    search_name = models.CharField(max_length=700, editable=False, db_index=True)
    # The name each language's readers see, accent-free and lower-case: the directory's
    # order in that language (indexed alone and after each filter's column).
    sort_name_en = models.CharField(max_length=200, editable=False, default="")
    sort_name_fr = models.CharField(max_length=200, editable=False, default="")
    sort_name_es = models.CharField(max_length=200, editable=False, default="")
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("country")
    )
    # Copied from the country so that the directory filters on one indexed column.
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("region"),
        editable=False,
    )
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    size_class = models.CharField(
        _("size class"), max_length=20, choices=SizeClass.choices, blank=True, editable=False
    )
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    # Language codes among settings.LANGUAGES, e.g. ["fr", "es"].
    working_languages = models.JSONField(_("working languages"), default=list, blank=True)
    membership_status = models.CharField(
        _("membership status"),
        max_length=20,
        choices=MembershipStatus.choices,
        default=MembershipStatus.MEMBER,
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    # The caller's id when imported (CSV or other systems); unique when present.
    external_ref = models.CharField(
        _("external reference"), max_length=100, null=True, blank=True, unique=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["search_name", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            models.Index(fields=["region", "search_name"], name="org_region_name"),
            models.Index(fields=["country", "search_name"], name="org_country_name"),
            *(
                models.Index(
                    fields=[*prefix, f"sort_name_{code}", "id"], name=f"org_{label}_{code}"
                )
                for code in SORT_LANGUAGES
                for label, prefix in (
                    ("sort", []),
                    ("region_sort", ["region"]),
                    ("country_sort", ["country"]),
                    ("kind_sort", ["kind"]),
                    ("size_sort", ["size_class"]),
                )
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "kind", "search_name"], name="unique_organisation_per_country"
            )
        ]

    def __str__(self):
        return self.name

    def refresh_derived_fields(self) -> None:
        """Recompute what is derived from other fields (region, size class, search and sort
        names)."""
        self.region_id = self.country.region_id
        self.size_class = SizeClass.for_population(self.population)
        self.search_name = search_name_for(
            [self.name, *(getattr(self, f"name_{code}", "") for code in settings.LANGUAGE_CODES)]
        )
        names = {code: getattr(self, f"name_{code}", None) for code in SORT_LANGUAGES}
        for column, key in sort_names_for(names, self.name).items():
            setattr(self, column, key)

    @property
    def is_city(self) -> bool:
        return self.kind in (
            OrganisationKind.LOCAL_GOVERNMENT,
            OrganisationKind.REGIONAL_GOVERNMENT,
        )


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members only")
    PRIVATE = "private", _("Private")


class Person(models.Model):
    """Someone in the directory; may or may not have a login."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organisation"),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=settings.LANGUAGES, default="en"
    )
    contact_visibility = models.CharField(
        _("contact details visible to"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("login"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["organisation", "last_name"], name="person_org_name")]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the background worker")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Nothing imported")


class OrganisationImport(models.Model):
    """A CSV file uploaded for import, run by the background worker, never in a request."""

    file = models.FileField(_("CSV file"), upload_to="imports/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    # The uploader's language, in which the problems are written.
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("organisation import")
        verbose_name_plural = _("organisation imports")

    def __str__(self):
        return f"{self.file.name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)
