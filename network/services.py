"""Writes to the network directory: every change goes through one of these functions.

Views, the admin back office, the API and the management commands call them; each one
validates, keeps the derived fields right, saves atomically and writes the audit log.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit import services as audit
from audit.models import AuditEntry
from search import services as search_services
from uploads.formats import DIRECTORY_IMPORT, check_upload

from .changes import organisations_changed
from .csv_format import ImportResult, import_rows
from .models import (
    Country,
    ImportStatus,
    MembershipStatus,
    Organisation,
    OrganisationImport,
    Person,
    Region,
    SizeClass,
    Visibility,
)

if TYPE_CHECKING:
    from typing import IO

    from django.core.files.uploadedfile import UploadedFile
    from django.db.models import Model

    from accounts.models import User

logger = logging.getLogger(__name__)

ORGANISATION_FIELDS = {
    "name",
    "name_en",
    "name_fr",
    "name_es",
    "kind",
    "country",
    "country_id",
    "population",
    "latitude",
    "longitude",
    "working_languages",
    "membership_status",
    "website",
    "email",
    "external_ref",
}
PERSON_FIELDS = {
    "first_name",
    "last_name",
    "organisation",
    "position",
    "email",
    "phone",
    "preferred_language",
    "contact_visibility",
    "user",
}


def _validate_organisation(organisation: Organisation) -> None:
    """Model validation plus the rules whose default messages would not help anyone."""
    errors: dict[str, list[str]] = {}
    if organisation.population is not None and organisation.population < 0:
        errors.setdefault("population", []).append(_("The population cannot be negative."))
    languages = organisation.working_languages
    if not isinstance(languages, list) or any(
        code not in settings.LANGUAGE_CODES for code in languages
    ):
        errors.setdefault("working_languages", []).append(
            _("Working languages must be among: %(codes)s.")
            % {"codes": ", ".join(settings.LANGUAGE_CODES)}
        )
    if not (organisation.name_en or organisation.name_fr or organisation.name_es):
        errors.setdefault("name", []).append(_("An organisation needs a name."))
    if errors:
        raise ValidationError(errors)
    # The name column itself is a copy of one language's name: validated through them.
    try:
        organisation.full_clean(exclude=["name", "region", "search_name", "size_class"])
    except ValidationError as error:
        raise ValidationError(_translate_unique_errors(error)) from None
    duplicate = (
        Organisation.objects.filter(
            country_id=organisation.country_id,
            kind=organisation.kind,
            search_name=organisation.search_name,
        )
        .exclude(pk=organisation.pk)
        .first()
    )
    if duplicate is not None:
        raise ValidationError(
            {
                "name": _("%(name)s (%(kind)s, %(country)s) is already in the directory.")
                % {
                    "name": duplicate.name,
                    "kind": duplicate.get_kind_display(),
                    "country": organisation.country.name,
                }
            }
        )


def _translate_unique_errors(error: ValidationError) -> ValidationError:
    """Django's unique message names a field; ours says what to do about it."""
    if not hasattr(error, "error_dict"):
        return error
    messages = error.message_dict
    if "external_ref" in messages:
        messages["external_ref"] = [
            _("Another organisation already has this external reference.")
            if "already exists" in message or "existe" in message
            else message
            for message in messages["external_ref"]
        ]
    return ValidationError(messages)


def _normalise_organisation(organisation: Organisation) -> None:
    for field in ("name_en", "name_fr", "name_es"):
        value = getattr(organisation, field)
        setattr(organisation, field, (value or "").strip() or None)
    # The untranslated column keeps the first name given, English first.
    organisation.__dict__["name"] = (
        organisation.name_en or organisation.name_fr or organisation.name_es or ""
    )
    if organisation.external_ref is not None:
        organisation.external_ref = organisation.external_ref.strip() or None
    organisation.website = (organisation.website or "").strip()
    organisation.email = (organisation.email or "").strip()
    if organisation.working_languages is None:
        organisation.working_languages = []
    if organisation.country_id is not None:
        organisation.refresh_derived_fields()


def check_organisation(organisation: Organisation) -> None:
    """Raise ValidationError for what save_organisation would refuse (forms call this)."""
    _normalise_organisation(organisation)
    _validate_organisation(organisation)


@transaction.atomic
def save_organisation(organisation: Organisation, *, actor: User | None) -> Organisation:
    """Validate and save an organisation whose fields are already set (new or existing).

    The admin back office, whose forms set the fields themselves, saves through this.
    """
    creating = organisation.pk is None
    before = None
    if not creating:
        stored = Organisation.objects.filter(pk=organisation.pk).first()
        before = audit.snapshot(stored) if stored is not None else None
    _normalise_organisation(organisation)
    if organisation.country_id is None:
        raise ValidationError({"country": _("Choose a country.")})
    _validate_organisation(organisation)
    organisation.save()
    search_services.schedule_reindex("organisation", organisation.pk)
    after = audit.snapshot(organisation)
    if creating:
        audit.record("network.organisation.created", organisation, actor=actor, after=after)
    else:
        old, new = audit.changed(before or {}, after)
        if any(name in SHOWN_IN_OTHER_ENTRIES or name.startswith("name") for name in new):
            # Meetings, experiences, needs and documents show its name and place.
            search_services.schedule_dependents("organisation", organisation.pk)
        old.pop("updated_at", None)
        new.pop("updated_at", None)
        if new:
            # The needs, partnership parties... that copy what changed follow it.
            organisations_changed([organisation.pk], fields=new)
            audit.record(
                "network.organisation.updated", organisation, actor=actor, before=old, after=new
            )
    return organisation


# Besides its names: the columns of an organisation that other search entries show.
SHOWN_IN_OTHER_ENTRIES = ("region_id", "size_class")


@transaction.atomic
def delete_organisation(organisation: Organisation, *, actor: User | None) -> None:
    """Take an organisation out of the directory, with what belongs to it (the back
    office's delete); the search entries that showed it follow after commit."""
    search_services.schedule_removal("organisation", organisation.pk)
    audit.record(
        "network.organisation.deleted",
        organisation,
        actor=actor,
        before=audit.snapshot(organisation),
    )
    organisation.delete()


def _assign(instance: Model, allowed: set[str], changes: dict[str, Any]) -> None:
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    for field, value in changes.items():
        if field == "name":
            field = "name_en"
        setattr(instance, field, value)


def create_organisation(
    *,
    name: str,
    kind: str,
    country: Country,
    name_fr: str = "",
    name_es: str = "",
    population: int | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    working_languages: list[str] | None = None,
    membership_status: str = MembershipStatus.MEMBER,
    website: str = "",
    email: str = "",
    external_ref: str | None = None,
    actor: User | None,
) -> Organisation:
    """Add an organisation to the directory. `name` is its English (or usual) name."""
    organisation = Organisation(
        name_en=name,
        name_fr=name_fr,
        name_es=name_es,
        kind=kind,
        country=country,
        population=population,
        latitude=latitude,
        longitude=longitude,
        working_languages=list(working_languages or []),
        membership_status=membership_status,
        website=website,
        email=email,
        external_ref=external_ref,
    )
    return save_organisation(organisation, actor=actor)


def update_organisation(
    organisation: Organisation, *, actor: User | None, **changes: Any
) -> Organisation:
    """Change some fields of an organisation (`name` means its English name)."""
    _assign(organisation, ORGANISATION_FIELDS, changes)
    return save_organisation(organisation, actor=actor)


def _announce_bulk_change(organisation_ids: list[int], fields: list[str]) -> None:
    """Organisations written in bulk, past save(): every copy of their fields follows (the
    subscribers of `network.changes`), and the search index, which shows them, is rebuilt."""
    if not organisation_ids:
        return
    organisations_changed(organisation_ids, fields=fields)
    search_services.schedule_rebuild("organisation")


@transaction.atomic
def set_populations(populations: dict[int, int], *, actor: User | None, source: str) -> int:
    """Give organisations their population (and so their size class), in bulk, with every
    copy following and one audit entry; returns how many organisations changed.

    For imports that learn populations by the thousand (the experience import).
    """
    changed: list[Organisation] = []
    ids = list(populations)
    for start in range(0, len(ids), 5000):
        for organisation in Organisation.objects.filter(pk__in=ids[start : start + 5000]).only(
            "pk", "population", "size_class"
        ):
            population = populations[organisation.pk]
            if population is None or population < 0 or organisation.population == population:
                continue
            organisation.population = population
            organisation.size_class = SizeClass.for_population(population)
            changed.append(organisation)
    if not changed:
        return 0
    now = timezone.now()
    for organisation in changed:
        organisation.updated_at = now
    Organisation.objects.bulk_update(
        changed, ["population", "size_class", "updated_at"], batch_size=2000
    )
    _announce_bulk_change(
        [organisation.pk for organisation in changed], ["population", "size_class", "updated_at"]
    )
    # One entry for the whole change, as for a CSV import.
    AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action="network.organisation.populations_set",
        object_type=Organisation._meta.label_lower,
        object_id="",
        object_repr=f"{source}: {len(changed)} populations set",
        after={"populations": {str(o.pk): o.population for o in changed[:1000]}},
    )
    return len(changed)


@transaction.atomic
def save_country(country: Country, *, actor: User | None) -> Country:
    """Validate and save a country (new or edited, the back office included); when it
    moves to another region, its organisations and every copy of their region follow."""
    creating = country.pk is None
    stored = None if creating else Country.objects.filter(pk=country.pk).first()
    before = audit.snapshot(stored) if stored is not None else {}
    country.full_clean()
    country.save()
    if stored is not None and stored.region_id != country.region_id:
        move_organisations_with_their_countries([country])
    old, new = audit.changed(before, audit.snapshot(country))
    if creating or new:
        audit.record(
            "network.country.created" if creating else "network.country.updated",
            country,
            actor=actor,
            before=old,
            after=new,
        )
    return country


@transaction.atomic
def move_organisations_with_their_countries(countries: list[Country]) -> list[int]:
    """Give the organisations of these countries their country's region, in bulk, with every
    copy following; returns the ids of the organisations that moved.

    For countries moved to another region (the back office, the reference data)."""
    moved: list[int] = []
    now = timezone.now()
    for country in countries:
        organisations = Organisation.objects.filter(country_id=country.pk).exclude(
            region_id=country.region_id
        )
        ids = list(organisations.values_list("pk", flat=True))
        if ids:
            organisations.update(region_id=country.region_id, updated_at=now)
            moved.extend(ids)
    _announce_bulk_change(moved, ["region", "updated_at"])
    return moved


@transaction.atomic
def save_region(region: Region, *, actor: User | None) -> Region:
    """Validate and save a world region (new or edited, the back office included).

    Organisations, needs and parties refer to their region, never copy its name: only the
    search index, which shows region names, is rebuilt."""
    creating = region.pk is None
    stored = None if creating else Region.objects.filter(pk=region.pk).first()
    before = audit.snapshot(stored) if stored is not None else {}
    region.full_clean()
    region.save()
    old, new = audit.changed(before, audit.snapshot(region))
    if creating or new:
        audit.record(
            "network.region.created" if creating else "network.region.updated",
            region,
            actor=actor,
            before=old,
            after=new,
        )
        if not creating:
            search_services.schedule_rebuild("organisation")
    return region


def _validate_person(person: Person) -> None:
    person.first_name = (person.first_name or "").strip()
    person.last_name = (person.last_name or "").strip()
    person.email = (person.email or "").strip()
    person.phone = (person.phone or "").strip()
    person.position = (person.position or "").strip()
    person.full_clean()


@transaction.atomic
def save_person(person: Person, *, actor: User | None) -> Person:
    """Validate and save a person whose fields are already set (new or existing)."""
    creating = person.pk is None
    before = None
    if not creating:
        stored = Person.objects.filter(pk=person.pk).first()
        before = audit.snapshot(stored) if stored is not None else None
    _validate_person(person)
    person.save()
    after = audit.snapshot(person)
    if creating:
        audit.record("network.person.created", person, actor=actor, after=after)
    else:
        old, new = audit.changed(before or {}, after)
        old.pop("updated_at", None)
        new.pop("updated_at", None)
        if new:
            audit.record("network.person.updated", person, actor=actor, before=old, after=new)
    return person


def create_person(
    *,
    first_name: str,
    last_name: str,
    organisation: Organisation | None = None,
    position: str = "",
    email: str = "",
    phone: str = "",
    preferred_language: str = "en",
    contact_visibility: str = Visibility.MEMBERS,
    user: User | None = None,
    actor: User | None,
) -> Person:
    """Add a person to the directory."""
    person = Person(
        first_name=first_name,
        last_name=last_name,
        organisation=organisation,
        position=position,
        email=email,
        phone=phone,
        preferred_language=preferred_language,
        contact_visibility=contact_visibility,
        user=user,
    )
    return save_person(person, actor=actor)


def update_person(person: Person, *, actor: User | None, **changes: Any) -> Person:
    """Change some fields of a person."""
    _assign(person, PERSON_FIELDS, changes)
    return save_person(person, actor=actor)


@transaction.atomic
def set_contact_visibility(person: Person, visibility: str, *, actor: User | None) -> Person:
    """Choose who sees a person's e-mail address and phone: everyone, members, or nobody."""
    if visibility not in Visibility.values:
        raise ValidationError({"contact_visibility": _("Choose public, members only or private.")})
    if person.contact_visibility == visibility:
        return person
    before = {"contact_visibility": person.contact_visibility}
    person.contact_visibility = visibility
    person.save(update_fields=["contact_visibility", "updated_at"])
    audit.record(
        "network.person.visibility_changed",
        person,
        actor=actor,
        before=before,
        after={"contact_visibility": visibility},
    )
    return person


@transaction.atomic
def update_contact_details(
    person: Person, *, position: str, phone: str, contact_visibility: str, actor: User | None
) -> Person:
    """Change what a person tells the network about themselves, and who sees it."""
    if contact_visibility not in Visibility.values:
        raise ValidationError(_("Unknown visibility."), code="invalid_visibility")
    fields = ["position", "phone", "contact_visibility"]
    before = audit.snapshot(person, fields)
    person.position = position.strip()
    person.phone = phone.strip()
    person.contact_visibility = contact_visibility
    person.full_clean(validate_unique=False, validate_constraints=False)
    after = audit.snapshot(person, fields)
    old, new = audit.changed(before, after)
    if not new:
        return person
    person.save(update_fields=[*fields, "updated_at"])
    audit.record("network.person.contact_updated", person, actor=actor, before=old, after=new)
    return person


def import_organisations_csv(fileobj: IO[bytes] | IO[str], *, actor: User | None) -> ImportResult:
    """Create or update organisations from a CSV file, all or nothing.

    Every row is checked in memory first; if any is bad, nothing is saved and the result
    lists each bad row with its line number and the reason. Rows whose `ref` is already
    known update that organisation. See `csv_format` for the columns.
    """
    result = import_rows(fileobj, actor=actor)
    if result.ok:
        # The rows were written in bulk, past the per-object re-indexing of save_organisation.
        search_services.schedule_rebuild("organisation")
    return result


@transaction.atomic
def queue_organisation_import(
    uploaded_file: UploadedFile, *, actor: User | None, language: str
) -> OrganisationImport:
    """Keep an uploaded CSV file and hand its import to the background worker."""
    from .tasks import run_organisation_import

    check_upload(uploaded_file, DIRECTORY_IMPORT)
    job = OrganisationImport.objects.create(
        file=uploaded_file, uploaded_by=actor, language=language
    )
    audit.record("network.organisation_import.queued", job, actor=actor)
    transaction.on_commit(lambda: run_organisation_import.enqueue(job.pk))
    return job


# A worker that dies during an import (killed, out of memory) leaves its task to the
# recovery of ops.recovery, which gives it to another worker; after this many attempts the
# file is taken to be what kills the workers, and the import fails instead.
MAX_IMPORT_ATTEMPTS = 2


def run_organisation_import(import_id: int, *, attempt: int = 1) -> str:
    """Import the file of a queued import, all or nothing, and record the outcome.

    Every way it can end leaves the job finished: imported, refused with the file's
    problems, or failed with a message (an unexpected error, or workers that died).
    `attempt` counts the runs of the same task: a second one takes over a job that a
    dead worker left running.
    """
    if attempt > 1:
        claimed = OrganisationImport.objects.filter(
            pk=import_id, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]
        ).update(status=ImportStatus.RUNNING)
    else:
        claimed = OrganisationImport.objects.filter(
            pk=import_id, status=ImportStatus.QUEUED
        ).update(status=ImportStatus.RUNNING)
    job = OrganisationImport.objects.get(pk=import_id)
    if not claimed:
        return job.status  # already run, or running elsewhere
    with translation.override(job.language):
        if attempt > MAX_IMPORT_ATTEMPTS:
            return _fail_import(
                job,
                _(
                    "The background worker stopped %(count)s times while importing this "
                    "file; nothing was imported. Split the file, or ask the administrators "
                    "to look at the server log."
                )
                % {"count": attempt - 1},
            )
        try:
            with job.file.open("rb") as fileobj:
                result = import_organisations_csv(fileobj, actor=job.uploaded_by)
        except Exception:
            logger.exception("Organisation import %s failed", import_id)
            _fail_import(
                job,
                _(
                    "The import stopped on an unexpected error; nothing was imported. The "
                    "administrators can find the details in the server log."
                ),
            )
            raise
        job.summary = result.summary()[:300]
        job.problems = [str(error) for error in result.errors[:1000]]
    job.status = ImportStatus.DONE if result.ok else ImportStatus.FAILED
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "summary", "problems", "finished_at"])
    return job.status


def _fail_import(job: OrganisationImport, message: str) -> str:
    job.status = ImportStatus.FAILED
    job.summary = message[:300]
    job.problems = []
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "summary", "problems", "finished_at"])
    return job.status
