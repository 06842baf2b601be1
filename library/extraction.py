"""Text of uploaded files, for search: PDF through pypdf, DOCX and ODT read as the
zipped XML they are (no extra dependency), plain text as UTF-8."""

import io
import zipfile
from xml.etree import ElementTree  # noqa: S405 - parsing our users' office files; see below

from django.utils.translation import gettext_lazy as _


class ExtractionError(Exception):
    """The file cannot be read as the format its name says."""


def _xml_text(data: bytes) -> str:
    # Office XML from uploads: entity expansion is not enabled in ElementTree's
    # expat parser for external entities, and we only read text nodes.
    root = ElementTree.fromstring(data)  # noqa: S314
    parts = []
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if element.text and tag in {"t", "p", "span", "h"}:
            parts.append(element.text)
        if tag in {"p", "h"}:
            parts.append("\n")
    return " ".join(parts)


def extract_text(content: bytes, extension: str) -> str:
    """The text of a file, or ExtractionError if it is corrupt or unsupported."""
    extension = extension.lower()
    try:
        if extension == "pdf":
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(content))
            return "\n".join((page.extract_text() or "") for page in reader.pages)
        if extension in ("docx", "odt"):
            member = "word/document.xml" if extension == "docx" else "content.xml"
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                return _xml_text(archive.read(member))
        if extension == "txt":
            return content.decode("utf-8")
    except Exception as error:  # noqa: BLE001 - any parser failure means a corrupt file
        raise ExtractionError(
            _("The file could not be read: is it a valid %(format)s file?")
            % {"format": extension.upper()}
        ) from error
    raise ExtractionError(_("This kind of file is not accepted."))
