"""What may be uploaded: one allow-list of formats and one size limit per kind of upload.

A file is accepted when its name ends with an allowed extension AND its bytes are that
format (magic bytes, the members of a zip, text that decodes); an HTML, SVG or XHTML page
renamed `.txt` or `.pdf` is refused. Nothing here decompresses a whole file: zip members
are judged by their declared sizes, and text is extracted later, by the worker, with its
own limits (library.extraction).
"""

import codecs
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext as _

MB = 1024 * 1024

# A zip-based office file may not declare more than this once decompressed, nor any member
# that decompresses to more than MAX_ZIP_RATIO times its compressed size (a zip bomb).
MAX_ZIP_DECLARED_SIZE = 100 * MB
MAX_ZIP_RATIO = 100
MAX_ZIP_MEMBERS = 5000


@dataclass(frozen=True)
class Format:
    extension: str
    content_type: str
    label: str
    # Shown in the browser (under a sandbox policy) rather than downloaded.
    inline: bool = False


FORMATS = {
    f.extension: f
    for f in (
        Format("pdf", "application/pdf", "PDF"),
        Format(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "DOCX",
        ),
        Format("odt", "application/vnd.oasis.opendocument.text", "ODT"),
        Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
        Format("ods", "application/vnd.oasis.opendocument.spreadsheet", "ODS"),
        Format("txt", "text/plain; charset=utf-8", "TXT"),
        Format("csv", "text/csv; charset=utf-8", "CSV"),
        Format("png", "image/png", "PNG", inline=True),
        Format("jpg", "image/jpeg", "JPEG", inline=True),
        Format("jpeg", "image/jpeg", "JPEG", inline=True),
    )
}


@dataclass(frozen=True)
class UploadKind:
    name: str
    extensions: tuple[str, ...]
    max_size: int

    def labels(self) -> str:
        return ", ".join(dict.fromkeys(FORMATS[e].label for e in self.extensions))

    def describe(self) -> str:
        """What a form says it accepts, e.g. "PDF, DOCX, ODT, TXT; 25 MB at most"."""
        return _("%(formats)s; %(size)s MB at most") % {
            "formats": self.labels(),
            "size": self.max_size // MB,
        }


def accepted(kind: UploadKind):
    """The description of `kind`, translated when a form is shown (a help text)."""
    return lazy(kind.describe, str)()


DOCUMENT_FORMATS = ("pdf", "docx", "odt", "txt")
OFFICE_AND_IMAGES = ("pdf", "docx", "odt", "xlsx", "ods", "txt", "csv", "png", "jpg", "jpeg")

# Every kind of upload of the platform, with what it accepts.
LIBRARY_DOCUMENT = UploadKind("library_document", DOCUMENT_FORMATS, 25 * MB)
EXPERIENCE_ATTACHMENT = UploadKind(
    "experience_attachment", (*DOCUMENT_FORMATS, "png", "jpg", "jpeg"), 25 * MB
)
ACTION_UPDATE_ATTACHMENT = UploadKind("action_update_attachment", OFFICE_AND_IMAGES, 10 * MB)
MEETING_REPORT = UploadKind("meeting_report", DOCUMENT_FORMATS, 25 * MB)
DIRECTORY_IMPORT = UploadKind("directory_import", ("csv", "txt"), 50 * MB)
ACTION_IMPORT = UploadKind("action_import", ("csv", "txt"), 5 * MB)

ZIP_MEMBERS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "odt": "content.xml",
    "ods": "content.xml",
}
ODF_MIMETYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
}
# Text that a browser would take for a page: refused even as .txt or .csv.
MARKUP = re.compile(
    rb"^\s*<\s*(!doctype|html|head|body|script|svg|\?xml|iframe|object|embed|meta)",
    re.IGNORECASE,
)


def extension_of(name: str) -> str:
    return PurePosixPath(name or "").suffix.lower().lstrip(".")


def format_of(name: str) -> Format | None:
    """The accepted format of a stored file, from its name (checked when it was uploaded)."""
    return FORMATS.get(extension_of(name))


def _refuse(extension: str) -> ValidationError:
    return ValidationError(
        _("The file is not a valid %(format)s file.") % {"format": extension.upper()},
        code="invalid_content",
    )


def _read(uploaded_file, start: int, length: int) -> bytes:
    uploaded_file.seek(start)
    return uploaded_file.read(length)


def _check_zip(uploaded_file, extension: str) -> None:
    uploaded_file.seek(0)
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            if ZIP_MEMBERS[extension] not in names or len(members) > MAX_ZIP_MEMBERS:
                raise _refuse(extension)
            declared = 0
            for member in members:
                declared += member.file_size
                ratio = member.file_size / max(member.compress_size, 1)
                if declared > MAX_ZIP_DECLARED_SIZE or (
                    member.file_size > MB and ratio > MAX_ZIP_RATIO
                ):
                    raise ValidationError(
                        _("The file decompresses to too much data to be accepted."),
                        code="zip_bomb",
                    )
            if (
                extension in ODF_MIMETYPES
                and "mimetype" in names
                and (
                    archive.getinfo("mimetype").file_size > 100
                    or archive.read("mimetype").strip() != ODF_MIMETYPES[extension]
                )
            ):
                raise _refuse(extension)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise _refuse(extension) from error


def _check_text(uploaded_file, extension: str) -> None:
    head = _read(uploaded_file, 0, 4096)
    if MARKUP.match(head.removeprefix(codecs.BOM_UTF8)):
        raise ValidationError(
            _("The file looks like a web page, which is not accepted."), code="markup"
        )
    decoder = codecs.getincrementaldecoder("utf-8")()
    uploaded_file.seek(0)
    try:
        for chunk in iter(lambda: uploaded_file.read(256 * 1024), b""):
            if b"\x00" in chunk:
                raise _refuse(extension)
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        raise ValidationError(
            _("The file must be UTF-8 encoded %(format)s.") % {"format": extension.upper()},
            code="encoding",
        ) from error


def _check_content(uploaded_file, extension: str) -> None:
    head = _read(uploaded_file, 0, 16)
    if extension == "pdf":
        size = uploaded_file.size
        tail = _read(uploaded_file, max(0, size - 2048), 2048)
        if not head.startswith(b"%PDF-") or b"%%EOF" not in tail:
            raise _refuse(extension)
    elif extension in ZIP_MEMBERS:
        if not head.startswith(b"PK\x03\x04"):
            raise _refuse(extension)
        _check_zip(uploaded_file, extension)
    elif extension == "png":
        if not head.startswith(b"\x89PNG\r\n\x1a\n"):
            raise _refuse(extension)
    elif extension in ("jpg", "jpeg"):
        if not head.startswith(b"\xff\xd8\xff"):
            raise _refuse(extension)
    elif extension in ("txt", "csv"):
        _check_text(uploaded_file, extension)
    else:  # pragma: no cover - every format of FORMATS has a branch above
        raise _refuse(extension)


def check_upload(uploaded_file, kind: UploadKind) -> Format:
    """Refuse a file of another format than `kind` accepts, too large, or whose bytes are
    not what its name says. Returns its format; the file is left rewound."""
    extension = extension_of(uploaded_file.name)
    if extension not in kind.extensions:
        raise ValidationError(
            _("Files of type %(extension)s are not accepted; use %(formats)s.")
            % {"extension": extension or "?", "formats": kind.labels()},
            code="extension",
        )
    if uploaded_file.size > kind.max_size:
        raise ValidationError(
            _("The file is larger than %(size)s MB.") % {"size": kind.max_size // MB},
            code="size",
        )
    try:
        _check_content(uploaded_file, extension)
    finally:
        uploaded_file.seek(0)
    return FORMATS[extension]
