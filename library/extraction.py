"""Text of uploaded files, for search: PDF through pypdf, DOCX and ODT read as the
zipped XML they are (no extra dependency), plain text as UTF-8.

Run by the background worker, never in a request, and bounded: an office file's XML is
read as a stream that stops at MAX_DECOMPRESSED_BYTES or at MAX_RATIO times its
compressed size (a zip bomb stops there, whatever its headers declare), a PDF at
MAX_PDF_PAGES pages (pypdf bounds each stream it decompresses), and the text kept at
MAX_TEXT characters.
"""

import io
import zipfile
from xml.etree import ElementTree  # noqa: S405 - see _xml_text

from django.utils.translation import gettext_lazy as _

MAX_DECOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100
MAX_PDF_PAGES = 2000
MAX_TEXT = 2_000_000


class ExtractionError(Exception):
    """The file cannot be read as the format its name says, or is too large once read."""


class _Bounded(io.RawIOBase):
    """A stream of a zip member that refuses to give more than its limit."""

    def __init__(self, stream, limit: int):
        self.stream, self.limit, self.count = stream, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.stream.read(len(buffer))
        self.count += len(data)
        if self.count > self.limit:
            raise ExtractionError(_("The file decompresses to too much data to be read."))
        buffer[: len(data)] = data
        return len(data)


def _xml_text(stream) -> str:
    # Office XML from uploads, parsed as a stream: elements are dropped once read, so
    # memory stays small. Expat (2.4+) refuses billion-laughs entity expansion and
    # ElementTree never fetches external entities; we only read text nodes.
    parts: list[str] = []
    size = 0
    for _event, element in ElementTree.iterparse(stream, events=("end",)):  # noqa: S314
        tag = element.tag.rsplit("}", 1)[-1]
        if element.text and tag in {"t", "p", "span", "h"}:
            parts.append(element.text)
            size += len(element.text)
        if tag in {"p", "h"}:
            parts.append("\n")
            element.clear()
        if size > MAX_TEXT:
            break
    return " ".join(parts)


def _zip_text(content: bytes, member_name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        member = archive.getinfo(member_name)
        limit = min(MAX_DECOMPRESSED_BYTES, max(member.compress_size, 1) * MAX_RATIO)
        with archive.open(member) as raw:
            return _xml_text(io.BufferedReader(_Bounded(raw, limit)))


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    parts, size = [], 0
    for number, page in enumerate(reader.pages):
        if number >= MAX_PDF_PAGES or size > MAX_TEXT:
            break
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
    return "\n".join(parts)


def extract_text(content: bytes, extension: str) -> str:
    """The text of a file, or ExtractionError if it is corrupt, unsupported or too large."""
    extension = extension.lower()
    try:
        if extension == "pdf":
            text = _pdf_text(content)
        elif extension in ("docx", "odt"):
            text = _zip_text(content, "word/document.xml" if extension == "docx" else "content.xml")
        elif extension == "txt":
            text = content[: MAX_TEXT * 4].decode("utf-8", errors="ignore")
        else:
            raise ExtractionError(_("This kind of file is not accepted."))
    except ExtractionError:
        raise
    except Exception as error:  # noqa: BLE001 - any parser failure means a corrupt file
        raise ExtractionError(
            _("The file could not be read: is it a valid %(format)s file?")
            % {"format": extension.upper()}
        ) from error
    return text[:MAX_TEXT].replace("\x00", "")
