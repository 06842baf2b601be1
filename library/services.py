"""Every write to the knowledge base: experiences, documents, their files and items.

Published content is (re)indexed for search in the background after commit.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import changed, record, snapshot
from entrevilles.languages import CODES, language_columns
from notifications.events import record_event
from notifications.models import EventKind
from search.services import schedule_reindex
from uploads.formats import EXPERIENCE_ATTACHMENT, LIBRARY_DOCUMENT, check_upload, extension_of

from .extraction import ExtractionError, extract_text
from .models import (
    Document,
    DocumentFile,
    DocumentItem,
    DocumentVersion,
    Experience,
    ExperienceAttachment,
    Status,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.core.files import File
    from django.core.files.uploadedfile import UploadedFile
    from django.db.models import Model

    from accounts.models import User
    from actions.models import Action, Workstream
    from commissions.models import Commission
    from library.models import SDG, PlanningPrinciple, Theme
    from meetings.models import Meeting
    from network.models import Organisation, Person

EXPERIENCE_TEXT_FIELDS = ("title", "summary", "problem", "approach", "results", "lessons")


def _set_taxonomies(
    obj: Experience | Document,
    themes: Iterable[Theme] | None = None,
    sdgs: Iterable[SDG] | None = None,
    principles: Iterable[PlanningPrinciple] | None = None,
) -> None:
    if themes is not None:
        obj.themes.set(themes)
    if sdgs is not None:
        obj.sdgs.set(sdgs)
    if principles is not None:
        obj.principles.set(principles)


@transaction.atomic
def create_experience(
    *,
    city: Organisation,
    original_language: str,
    texts: dict[str, str],
    actor: User | None,
    themes: Iterable[Theme] = (),
    sdgs: Iterable[SDG] = (),
    principles: Iterable[PlanningPrinciple] = (),
    start_year: int | None = None,
    end_year: int | None = None,
    contact: Person | None = None,
    offers_peer_learning: bool = False,
) -> Experience:
    """A new draft experience of `city`, written in `original_language`."""
    if not (texts.get("title") or "").strip():
        raise ValidationError({"title": _("An experience needs a title.")})
    experience = Experience(
        city=city,
        original_language=original_language,
        start_year=start_year,
        end_year=end_year,
        contact=contact,
        offers_peer_learning=offers_peer_learning,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for field in EXPERIENCE_TEXT_FIELDS:
        setattr(experience, f"{field}_{original_language}", texts.get(field, ""))
    experience.full_clean(exclude=language_columns(EXPERIENCE_TEXT_FIELDS))
    experience.save()
    _set_taxonomies(experience, themes, sdgs, principles)
    record("library.experience.created", experience, actor=actor, after=snapshot(experience))
    return experience


@transaction.atomic
def update_experience(
    experience: Experience,
    *,
    language: str,
    texts: dict[str, str],
    actor: User | None,
    themes: Iterable[Theme] | None = None,
    sdgs: Iterable[SDG] | None = None,
    principles: Iterable[PlanningPrinciple] | None = None,
    details: dict | None = None,
) -> Experience:
    """Change the text in one language (the original or a translation) and the details."""
    if language == experience.original_language and not (texts.get("title") or "").strip():
        raise ValidationError({"title": _("The original text must keep a title.")})
    before = snapshot(experience)
    for field in EXPERIENCE_TEXT_FIELDS:
        if field in texts:
            setattr(experience, f"{field}_{language}", texts[field])
    for name, value in (details or {}).items():
        if name in ("start_year", "end_year", "contact", "offers_peer_learning"):
            setattr(experience, name, value)
    experience.full_clean(exclude=language_columns(EXPERIENCE_TEXT_FIELDS))
    experience.save()
    _set_taxonomies(experience, themes, sdgs, principles)
    old, new = changed(before, snapshot(experience))
    record("library.experience.changed", experience, actor=actor, before=old, after=new)
    if experience.status == Status.PUBLISHED:
        schedule_reindex("experience", experience.pk)
    return experience


def _set_status(
    experience: Experience, status: str, *, actor: User | None, verb: str, note: str = ""
) -> Experience:
    before = snapshot(experience, ["status", "review_note", "published_at"])
    experience.status = status
    experience.review_note = note
    if status == Status.PUBLISHED:
        experience.published_at = experience.published_at or timezone.now()
    experience.save(update_fields=["status", "review_note", "published_at", "updated_at"])
    record(
        f"library.experience.{verb}",
        experience,
        actor=actor,
        before=before,
        after=snapshot(experience, ["status", "review_note", "published_at"]),
    )
    schedule_reindex("experience", experience.pk)
    return experience


@transaction.atomic
def submit_experience(experience: Experience, *, actor: User | None) -> Experience:
    """The city sends its draft to the secretariat for review."""
    if experience.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be sent for review."))
    return _set_status(experience, Status.IN_REVIEW, actor=actor, verb="submitted")


@transaction.atomic
def publish_experience(experience: Experience, *, actor: User | None) -> Experience:
    """The secretariat publishes: the experience is public and searchable."""
    if experience.status == Status.PUBLISHED:
        raise ValidationError(_("This experience is already published."))
    experience = _set_status(experience, Status.PUBLISHED, actor=actor, verb="published")
    record_event(EventKind.EXPERIENCE_PUBLISHED, experience, actor=actor)
    return experience


@transaction.atomic
def return_experience(experience: Experience, *, note: str, actor: User | None) -> Experience:
    """The secretariat sends an experience back to its city as a draft, with a note."""
    if experience.status == Status.DRAFT:
        raise ValidationError(_("This experience is already a draft."))
    return _set_status(experience, Status.DRAFT, actor=actor, verb="returned", note=note)


@transaction.atomic
def add_experience_attachment(
    experience: Experience,
    *,
    title: str,
    uploaded_file: UploadedFile,
    language: str,
    actor: User | None,
) -> ExperienceAttachment:
    """Attach a file to an experience (checked against the attachments' formats)."""
    check_upload(uploaded_file, EXPERIENCE_ATTACHMENT)
    attachment = ExperienceAttachment(experience=experience, title=title, language=language)
    attachment.file.save(uploaded_file.name, uploaded_file, save=False)  # type: ignore[arg-type]  # an upload has a name: check_upload read it
    attachment.full_clean()
    attachment.save()
    record(
        "library.experience.attachment_added", experience, actor=actor, after=snapshot(attachment)
    )
    return attachment


@transaction.atomic
def create_document(
    *,
    kind: str,
    original_language: str,
    title: str,
    actor: User | None,
    abstract: str = "",
    date: datetime.date | None = None,
    visibility: str = "public",
    authors: Iterable[Organisation] = (),
    commissions: Iterable[Commission] = (),
    meetings: Iterable[Meeting] = (),
    workstreams: Iterable[Workstream] = (),
    actions: Iterable[Action] = (),
    themes: Iterable[Theme] = (),
    sdgs: Iterable[SDG] = (),
    principles: Iterable[PlanningPrinciple] = (),
    tags: list[str] | None = None,
    translations: dict[str, dict[str, str]] | None = None,
) -> Document:
    """A new unpublished document; `translations` maps a language to its title/abstract."""
    if not title.strip():
        raise ValidationError({"title": _("A document needs a title.")})
    document = Document(
        kind=kind,
        original_language=original_language,
        date=date,
        visibility=visibility,
        tags=[tag.strip().lower() for tag in tags or [] if tag.strip()],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    setattr(document, f"title_{original_language}", title)
    setattr(document, f"abstract_{original_language}", abstract)
    for code, values in (translations or {}).items():
        if code in CODES and code != original_language:
            setattr(document, f"title_{code}", values.get("title", ""))
            setattr(document, f"abstract_{code}", values.get("abstract", ""))
    document.full_clean(exclude=language_columns(("title", "abstract")))
    document.save()
    document.authors.set(authors)
    document.commissions.set(commissions)
    document.meetings.set(meetings)
    document.workstreams.set(workstreams)
    document.actions.set(actions)
    _set_taxonomies(document, themes, sdgs, principles)
    record("library.document.created", document, actor=actor, after=snapshot(document))
    return document


DOCUMENT_DETAILS = ("kind", "date", "visibility", "tags")
DOCUMENT_RELATIONS = (
    "authors",
    "commissions",
    "meetings",
    "workstreams",
    "actions",
    "themes",
    "sdgs",
    "principles",
)


@transaction.atomic
def update_document(
    document: Document,
    *,
    actor: User | None,
    texts: dict[str, dict[str, str]] | None = None,
    details: dict | None = None,
    **relations: Iterable[Model],
) -> Document:
    """Change a document's texts (title and abstract, per language), its details (kind,
    date, visibility, tags) and what it is linked to (`authors`, `commissions`,
    `meetings`, `workstreams`, `actions`, `themes`, `sdgs`, `principles`: each left as it
    is when not given). One audit entry lists what changed; a published document is
    re-indexed."""
    unknown = set(relations) - set(DOCUMENT_RELATIONS)
    if unknown:
        raise TypeError(f"Unknown relations: {', '.join(sorted(unknown))}")
    before = snapshot(document)
    for code, values in (texts or {}).items():
        if code not in CODES:
            continue
        for field in ("title", "abstract"):
            if field in values:
                setattr(document, f"{field}_{code}", (values[field] or "").strip())
    if not (getattr(document, f"title_{document.original_language}") or "").strip():
        raise ValidationError({"title": _("The original text must keep a title.")})
    for name, value in (details or {}).items():
        if name not in DOCUMENT_DETAILS:
            continue
        if name == "tags":
            value = [tag.strip().lower() for tag in value or [] if tag.strip()]
        setattr(document, name, value)
    document.full_clean(exclude=language_columns(("title", "abstract")))
    document.save()
    old, new = changed(before, snapshot(document))
    for name in DOCUMENT_RELATIONS:
        values = relations.get(name)
        if values is None:
            continue
        manager = getattr(document, name)
        key = "number" if name in ("sdgs", "principles") else "pk"
        previous = sorted(manager.values_list(key, flat=True))
        values = list(values)
        current = sorted(getattr(obj, key) for obj in values)
        if previous != current:
            manager.set(values)
            old[name], new[name] = previous, current
    if new:
        record("library.document.changed", document, actor=actor, before=old, after=new)
        if document.status == Status.PUBLISHED:
            schedule_reindex("document", document.pk)
    return document


@transaction.atomic
def set_document_links(
    document: Document,
    *,
    actor: User | None,
    authors: Iterable[Organisation] | None = None,
    meetings: Iterable[Meeting] | None = None,
    workstreams: Iterable[Workstream] | None = None,
    actions: Iterable[Action] | None = None,
) -> Document:
    """Change the authors of a document and the meetings, workstreams, actions it is about
    (each left as it is when None)."""
    before, after = {}, {}
    for name, values in (
        ("authors", authors),
        ("meetings", meetings),
        ("workstreams", workstreams),
        ("actions", actions),
    ):
        if values is None:
            continue
        manager = getattr(document, name)
        old = sorted(manager.values_list("pk", flat=True))
        new = sorted(obj.pk for obj in values)
        if old != new:
            manager.set(values)
            before[name], after[name] = old, new
    if after:
        record("library.document.links_changed", document, actor=actor, before=before, after=after)
        if document.status == Status.PUBLISHED and "authors" in after:
            schedule_reindex("document", document.pk)
    return document


@transaction.atomic
def add_document_file(
    document: Document,
    *,
    version_number: int,
    language: str,
    uploaded_file: File,
    actor: User | None,
    version_label: str = "",
    is_final: bool = False,
    version_date: datetime.date | None = None,
) -> DocumentFile:
    """Upload the file of one version in one language; the background worker extracts
    its text for search (extract_document_file_text).

    Uploading again for the same version and language replaces the file.
    """
    check_upload(uploaded_file, LIBRARY_DOCUMENT)
    version, _created = DocumentVersion.objects.get_or_create(
        document=document,
        number=version_number,
        defaults={"label": version_label, "is_final": is_final, "date": version_date},
    )
    if version_label or is_final:
        version.label = version_label or version.label
        version.is_final = is_final or version.is_final
        version.save()
    file = DocumentFile.objects.filter(version=version, language=language).first()
    file = file or DocumentFile(version=version, language=language)
    file.extracted_text = ""
    file.extraction_problem = ""
    file.file.save(uploaded_file.name, uploaded_file, save=False)  # type: ignore[arg-type]  # an upload has a name: check_upload read it
    file.save()
    record(
        "library.document.file_added",
        document,
        actor=actor,
        after={"version": version.number, "language": language, "file": file.file.name},
    )
    from .tasks import extract_document_file_text

    transaction.on_commit(lambda: extract_document_file_text.enqueue(file.pk))
    return file


def extract_document_file_text(file_id: int) -> str:
    """Read the text of an uploaded document file for search (in the worker, bounded by
    library.extraction's limits), keep it, and re-index the published document.

    The text is derived data, like the search index: no audit entry. Returns "done",
    "failed" (the reason is kept on the file) or "gone" (the file was replaced or removed).
    """
    file = DocumentFile.objects.select_related("version__document").filter(pk=file_id).first()
    if file is None or not file.file:
        return "gone"
    name = file.file.name
    try:
        with file.file.open("rb") as handle:
            content = handle.read(LIBRARY_DOCUMENT.max_size + 1)
        text, problem = extract_text(content, extension_of(name)), ""  # type: ignore[arg-type]  # a stored file (checked just above) has a name
    except FileNotFoundError:
        return "gone"
    except ExtractionError as error:
        text, problem = "", str(error)[:300]
    with transaction.atomic():
        updated = DocumentFile.objects.filter(pk=file_id, file=name).update(
            extracted_text=text, extraction_problem=problem
        )
        document = file.version.document
        if updated and document.status == Status.PUBLISHED:
            schedule_reindex("document", document.pk)
    if not updated:
        return "gone"
    return "failed" if problem else "done"


@transaction.atomic
def publish_document(document: Document, *, actor: User | None) -> Document:
    """Publish a document; it needs at least one file in one language."""
    if document.status == Status.PUBLISHED:
        raise ValidationError(_("This document is already published."))
    if not DocumentFile.objects.filter(version__document=document).exists():
        raise ValidationError(_("Add a file in at least one language before publishing."))
    before = snapshot(document, ["status"])
    document.status = Status.PUBLISHED
    document.save(update_fields=["status", "updated_at"])
    record(
        "library.document.published",
        document,
        actor=actor,
        before=before,
        after={"status": document.status},
    )
    record_event(EventKind.DOCUMENT_PUBLISHED, document, actor=actor)
    schedule_reindex("document", document.pk)
    return document


@transaction.atomic
def unpublish_document(document: Document, *, actor: User | None) -> Document:
    before = snapshot(document, ["status"])
    document.status = Status.DRAFT
    document.save(update_fields=["status", "updated_at"])
    record(
        "library.document.unpublished",
        document,
        actor=actor,
        before=before,
        after={"status": document.status},
    )
    schedule_reindex("document", document.pk)
    return document


@transaction.atomic
def add_document_item(
    document: Document,
    *,
    kind: str,
    texts: dict[str, str],
    actor: User | None,
    number: int | None = None,
    principles: Iterable[PlanningPrinciple] = (),
    actions: Iterable[Action] = (),
) -> DocumentItem:
    """Record a recommendation or conclusion of a document, to be followed up."""
    if not any((texts.get(code) or "").strip() for code in CODES):
        raise ValidationError({"text": _("The item needs a text.")})
    if number is None:
        number = (
            document.items.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
    item = DocumentItem(document=document, kind=kind, number=number)
    for code in CODES:
        setattr(item, f"text_{code}", texts.get(code, ""))
    item.full_clean(exclude=language_columns(("text",)))
    item.save()
    item.principles.set(principles)
    item.actions.set(actions)
    record("library.documentitem.created", item, actor=actor, after=snapshot(item))
    if document.status == Status.PUBLISHED:
        schedule_reindex("document", document.pk)
    return item


@transaction.atomic
def set_item_actions(
    item: DocumentItem, actions: Iterable[Action], *, actor: User | None
) -> DocumentItem:
    """Link a recommendation or conclusion to the actions that follow it up."""
    old = sorted(item.actions.values_list("pk", flat=True))
    new = sorted(action.pk for action in actions)
    if old != new:
        item.actions.set(actions)
        record(
            "library.documentitem.actions_changed",
            item,
            actor=actor,
            before={"actions": old},
            after={"actions": new},
        )
    return item


@transaction.atomic
def save_taxonomy_entry(
    entry: Theme | SDG | PlanningPrinciple, *, actor: User | None
) -> Theme | SDG | PlanningPrinciple:
    """Save a theme, SDG or planning principle edited in the back office."""
    before = None
    if entry.pk:
        before = snapshot(type(entry).objects.get(pk=entry.pk))
    entry.full_clean()
    entry.save()
    verb = "created" if before is None else "changed"
    record(
        f"library.{entry._meta.model_name}.{verb}",
        entry,
        actor=actor,
        before=before,
        after=snapshot(entry),
    )
    return entry
