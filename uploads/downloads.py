"""Every uploaded file is served here, once its owner's permission rule says yes.

A stored file's name starts with the folder of the model that owns it (see each model's
`upload_to`); the owner is looked up by that exact name, so a file that no record owns, or
that the reader may not see, answers 404 as a page would. The bytes go out as a download
(images may be shown inline) under a sandbox policy, so that a file can never run script
on the site's own origin. Where the web server is configured for it (FILES_SENDFILE), it
sends the bytes itself (X-Accel-Redirect for nginx, X-Sendfile for Apache and others).
"""

from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.module_loading import import_string

from .formats import format_of

# The policy of every served file: no script, no plugin, no request, a unique origin.
FILE_POLICY = "default-src 'none'; sandbox"


@dataclass(frozen=True)
class Owner:
    model: str
    field: str
    rule: str  # the dotted path of the owning app's rule, taking (user, owner)
    related: tuple[str, ...] = ()


# Folder of the stored name -> the record that owns it and the rule that guards it.
OWNERS = {
    "library/documents/": Owner(
        "library.DocumentFile", "file", "library.permissions.can_download_document_file", ("version__document",)
    ),
    "library/experiences/": Owner(
        "library.ExperienceAttachment", "file", "library.permissions.can_download_experience_attachment",
        ("experience__city",),
    ),
    "actions/": Owner(
        "actions.ActionUpdate", "attachment", "actions.permissions.can_download_action_update_attachment", ("action",)
    ),
    "meetings/": Owner("meetings.ReportDocument", "file", "meetings.permissions.can_download_meeting_report",
                       ("meeting",)),
    "imports/": Owner("network.OrganisationImport", "file", "network.permissions.can_download_organisation_import"),
}  # fmt: skip


def owner_of(name: str):
    """The record that owns the stored file `name` and its permission rule, or None."""
    for prefix, owner in OWNERS.items():
        if name.startswith(prefix):
            model = apps.get_model(owner.model)
            records = model.objects.filter(**{owner.field: name})
            if owner.related:
                records = records.select_related(*owner.related)
            record = records.first()
            if record is not None:
                return record, getattr(record, owner.field), import_string(owner.rule)
    return None


def _is_safe(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith("/") and ".." not in parts and "\\" not in name


def file_response(field_file) -> HttpResponse:
    """The response that hands `field_file` to the browser: safe type, download, sandbox."""
    name = field_file.name
    file_format = format_of(name)
    inline = file_format is not None and file_format.inline
    content_type = file_format.content_type if file_format else "application/octet-stream"
    filename = PurePosixPath(name).name
    mode = getattr(settings, "FILES_SENDFILE", "")
    if mode in ("x-accel-redirect", "x-sendfile"):
        if not field_file.storage.exists(name):
            raise Http404
        response = HttpResponse(content_type=content_type)
        if mode == "x-accel-redirect":
            prefix = settings.FILES_ACCEL_REDIRECT_PREFIX.rstrip("/")
            response["X-Accel-Redirect"] = f"{prefix}/{quote(name)}"
        else:
            response["X-Sendfile"] = field_file.storage.path(name)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=not inline, filename=filename
        )
    else:
        try:
            handle = field_file.storage.open(name, "rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(
            handle, as_attachment=not inline, filename=filename, content_type=content_type
        )
    response["Content-Security-Policy"] = FILE_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response


def download(request, name: str):
    """Serve an uploaded file to whoever may see its owner; 404 to everyone else."""
    if not _is_safe(name):
        raise Http404
    found = owner_of(name)
    if found is None:
        raise Http404
    record, field_file, may_download = found
    if not may_download(request.user, record):
        raise Http404
    return file_response(field_file)
