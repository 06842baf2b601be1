"""The search index: one row per published object, its facets, and the glossary.

The full text itself lives in a backend structure the ORM does not model: an FTS5
virtual table `search_fts` on SQLite, a `vector` tsvector column with a GIN index on
PostgreSQL (both created by migration 0002). `search.backends` reads and writes them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryVisibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members only")


class SearchEntry(models.Model):
    """What the search shows of one object, with its display text in each language."""

    object_type = models.CharField(_("type"), max_length=30)
    object_id = models.BigIntegerField(_("object id"))
    original_language = models.CharField(_("original language"), max_length=2)
    # {"en": "...", "fr": "..."}: only the languages the object exists in.
    titles = models.JSONField(_("titles"), default=dict)
    summaries = models.JSONField(_("summaries"), default=dict)
    url = models.CharField(_("address"), max_length=300)
    visibility = models.CharField(
        _("visible to"),
        max_length=10,
        choices=EntryVisibility.choices,
        default=EntryVisibility.PUBLIC,
    )
    date = models.DateField(_("date"), null=True, blank=True)
    # The entry's facets, one "name=value" a line: a copy of its SearchFacet rows that
    # the search reads with the matches, to count facets without a join per facet.
    facet_keys = models.TextField(_("facets"), blank=True, default="")
    indexed_at = models.DateTimeField(_("indexed at"), auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["object_type", "object_id"], name="unique_search_entry")
        ]
        indexes = [
            models.Index(fields=["visibility", "-date"], name="search_entry_vis_date"),
            models.Index(fields=["indexed_at"], name="search_entry_indexed_at"),
        ]

    def __str__(self):
        return f"{self.object_type} {self.object_id}"


class SearchFacet(models.Model):
    """One facet value of an entry (an entry has several themes, SDGs, languages...)."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="facets")
    name = models.CharField(max_length=20)
    value = models.CharField(max_length=60)

    class Meta:
        verbose_name = _("search facet")
        verbose_name_plural = _("search facets")
        indexes = [
            models.Index(fields=["name", "value", "entry"], name="search_facet_value"),
            models.Index(fields=["entry", "name", "value"], name="search_facet_entry"),
        ]

    def __str__(self):
        return f"{self.name}={self.value}"


class GlossaryTerm(models.Model):
    """One urban-policy concept and the words for it in each working language.

    Each language column holds the variants separated by commas ("housing, dwelling").
    A query containing any variant also looks for all the others, in every language.
    The columns are the words of each language, not a translation of content, so they
    are plain fields rather than modeltranslation ones (no fallback between them).
    """

    key = models.SlugField(_("key"), max_length=80, unique=True)
    terms_en = models.CharField(_("English terms"), max_length=300)
    terms_fr = models.CharField(_("French terms"), max_length=300)
    terms_es = models.CharField(_("Spanish terms"), max_length=300)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")

    def __str__(self):
        return f"{self.terms_en} / {self.terms_fr} / {self.terms_es}"

    def variants(self) -> dict[str, list[str]]:
        return {
            code: [v.strip() for v in getattr(self, f"terms_{code}").split(",") if v.strip()]
            for code in ("en", "fr", "es")
        }


class SemanticVector(models.Model):
    """The meaning of one searchable object as a sentence embedding (see
    `search.embedding`), computed by the background worker from the text of its entry.

    `vector` holds float16 values (half the space of float32, the same ranking);
    `sentences` the object's sentences and `sentence_vectors` theirs, for quoting the
    sentence closest to a need. `model` is the model's name and version: vectors of
    another model are embedded again. `digest` identifies the text embedded, so that a
    change that leaves it as it was embeds nothing.
    """

    object_type = models.CharField(_("type"), max_length=30)
    object_id = models.BigIntegerField(_("object id"))
    language = models.CharField(_("language"), max_length=2)
    model = models.CharField(_("model"), max_length=120)
    digest = models.CharField(_("text digest"), max_length=24)
    vector = models.BinaryField(_("vector"))
    sentences = models.JSONField(_("sentences"), default=list, blank=True)
    sentence_vectors = models.BinaryField(_("sentence vectors"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("semantic vector")
        verbose_name_plural = _("semantic vectors")
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id"], name="unique_semantic_vector"
            )
        ]
        indexes = [
            models.Index(fields=["object_type", "updated_at"], name="semantic_type_updated"),
        ]

    def __str__(self):
        return f"{self.object_type} {self.object_id} ({self.model})"


class SemanticVectorChanges(models.Model):
    """How often the stored vectors of one type changed: a process holding them in memory
    compares this row with what it read (one small query per use), then reads only the
    vectors written since. `epoch` is set when the row is created, so that counts of two
    histories of the table (a database restored, a test rolled back) are never confused.
    """

    object_type = models.CharField(_("type"), max_length=30, unique=True)
    epoch = models.CharField(_("epoch"), max_length=32)
    changes = models.BigIntegerField(_("changes"), default=0)

    class Meta:
        verbose_name = _("changes of semantic vectors")
        verbose_name_plural = _("changes of semantic vectors")

    def __str__(self):
        return f"{self.object_type}: {self.changes}"
