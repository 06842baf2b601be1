"""Each recipient's message, composed as MIME from the versions rendered once per run."""

from __future__ import annotations

import base64
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from email.header import Header
from email.utils import format_datetime, formataddr, parseaddr
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from entrevilles.languages import language_name

from .. import markup
from ..composer import of_commissions
from ..models import (
    Circular,
    Delivery,
)
from .tokens import unsubscribe_token

if TYPE_CHECKING:
    from .rows import Claimed

_UNSUBSCRIBE_MARK = "UNSUBSCRIBE-LINK-8f2c"
# Runs of white space but the no-break ones.
_SPACES = re.compile(r"[^\S\u00a0\u202f]+")


# --- rendering ------------------------------------------------------------------------------


def sender_line(circular: Circular) -> str:
    """Who sends the circular, in the active language ("Le Secrétariat mondial, au nom de
    la Commission … et de la Commission …")."""
    commissions = list(circular.commissions.all())
    if not commissions:
        return _("The network's World Secretariat")
    return _("The World Secretariat, on behalf %(of_commissions)s") % {
        "of_commissions": of_commissions(commissions)
    }


class Renderer:
    """Builds each recipient's message; the language versions are rendered once per run."""

    def __init__(self, circular: Circular):
        self.circular = circular
        self.from_email = settings.DEFAULT_FROM_EMAIL
        address = parseaddr(self.from_email)[1] or "no-reply@localhost"
        self.envelope_from = address
        self.domain = self.message_domain()
        self.list_id = f"<circulars.{self.domain}>"
        self.reply_to = [c.email for c in circular.commissions.all() if c.email]
        self.reply_to_header = f"Reply-To: {', '.join(self.reply_to)}\r\n" if self.reply_to else ""
        name, _address = parseaddr(self.from_email)
        self.from_header = formataddr((_one_line(name), address), charset="utf-8")
        self.list_archive = f"<{settings.SITE_URL}{reverse('circulars:archive')}>"
        self.unsubscribe_prefix = settings.SITE_URL + reverse(
            "circulars:unsubscribe", args=["TOKEN"]
        ).removesuffix("TOKEN/")
        self._parts: dict[tuple[str, str], tuple[str, str, str, bool]] = {}
        self._versions: dict[tuple[str, str, str], _Version] = {}
        # Each message's MIME boundary: this run's and the row's. "=_" never occurs in
        # base64, the parts' only encoding, so no part can contain it.
        self._boundary = f"=_circular_{uuid.uuid4().hex}_"
        self._date_second, self._date_header = -1, ""

    def _date(self, now: datetime) -> str:
        """The Date header, formatted once a second rather than once a message."""
        second = int(now.timestamp())
        if self._date_second != second:
            self._date_header, self._date_second = format_datetime(now), second
        return self._date_header

    @staticmethod
    def message_domain() -> str:
        """The right-hand side of Message-IDs: the sender's domain."""
        address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "no-reply@localhost"
        return address.rpartition("@")[2] or "localhost"

    def parts(self, language: str, preferred: str) -> tuple[str, str, str, bool]:
        """(subject, text, html, has placeholders) of one version, with the link marker."""
        key = (language, preferred)
        if key not in self._parts:
            circular = self.circular
            body = markup.absolute_links(circular.body_in(language), settings.SITE_URL)
            archive = settings.SITE_URL + reverse(
                "circulars:archive_detail", args=[circular.pk, language]
            )
            with translation.override(preferred):
                context = {
                    "circular": circular,
                    "subject": circular.subject_in(language),
                    "language": language,
                    "preferred": preferred,
                    "fallback": language != preferred,
                    "language_name": _language_name(language),
                    "preferred_name": _language_name(preferred),
                    "sender": sender_line(circular),
                    "body_text": body,
                    "body_html": mark_safe(markup.render_html(body)),  # noqa: S308 - cleaned by nh3
                    "archive_url": archive,
                    "unsubscribe_url": _UNSUBSCRIBE_MARK,
                }
                text = render_to_string("circulars/email/message.txt", context)
                html = render_to_string("circulars/email/message.html", context)
            self._parts[key] = (
                circular.subject_in(language),
                text,
                html,
                markup.has_placeholders(body),
            )
        return self._parts[key]

    def _version(self, language: str, preferred: str, subject_prefix: str) -> _Version:
        """What every recipient of one version shares, made ready for `message`."""
        key = (language, preferred, subject_prefix)
        version = self._versions.get(key)
        if version is None:
            subject, text, html, personal = self.parts(language, preferred)
            formats = [
                # The unsubscribe link is a field of its own; in a version without
                # placeholders the braces are the text's own.
                _lines(
                    markup.placeholder_format(part) if personal else markup.escape_format(part)
                ).replace(_UNSUBSCRIBE_MARK, "{unsubscribe}")
                for part in (text, html)
            ]
            version = self._versions[key] = _Version(
                head=f"Subject: {_encoded(subject_prefix + subject)}\r\nFrom: {self.from_header}\r\n",
                text=formats[0],
                html=formats[1],
                personal=personal,
            )
        return version

    def message(
        self,
        delivery: Delivery | Claimed,
        now: datetime | None = None,
        *,
        subject_prefix: str = "",
        message_id: str | None = None,
    ) -> bytes:
        """The recipient's message, as the bytes handed to SMTP.

        Composed directly as MIME (multipart/alternative, UTF-8, base64 parts) from the
        versions rendered once per run: per recipient only the unsubscribe token, the
        placeholders and a few headers change. The standard library's EmailMessage (and
        Django's on top of it) spent most of a run re-parsing the same headers.
        """
        version = self._version(delivery.language, delivery.preferred_language, subject_prefix)
        url = f"{self.unsubscribe_prefix}{unsubscribe_token(delivery.email, delivery.circular_id)}/"
        if version.personal:
            name, organisation = _lines(delivery.name), _lines(delivery.organisation_name)
            text = version.text.format(name=name, organisation=organisation, unsubscribe=url)
            html = version.html.format(
                name=escape(name), organisation=escape(organisation), unsubscribe=url
            )
        else:
            text = version.text.format(unsubscribe=url)
            html = version.html.format(unsubscribe=url)
        boundary = f"{self._boundary}{delivery.pk}"
        to = formataddr((_one_line(delivery.name), delivery.email), charset="utf-8")
        head = (
            f"{version.head}To: {to}\r\n{self.reply_to_header}"
            f"Date: {self._date(now or timezone.now())}\r\n"
            f"Message-ID: {message_id or delivery.message_id(self.domain)}\r\n"
            f"MIME-Version: 1.0\r\n"
            f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n'
            f"Content-Language: {delivery.language}\r\n"
            f"List-Id: {self.list_id}\r\n"
            f"List-Unsubscribe: <{url}>\r\n"
            f"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
            f"List-Archive: {self.list_archive}\r\n"
            f"Precedence: bulk\r\n"
            f"Auto-Submitted: auto-generated\r\n\r\n"
        )
        return b"".join(
            (
                head.encode("ascii"),
                _part(boundary, "text/plain", text),
                _part(boundary, "text/html", html),
                f"--{boundary}--\r\n".encode("ascii"),
            )
        )


@dataclass(frozen=True)
class _Version:
    head: str  # the Subject and From lines
    text: str  # format strings: {unsubscribe}, and {name} and {organisation} if personal
    html: str
    personal: bool


def _lines(value: str) -> str:
    """A value put into a part: its line breaks as the part's (CRLF)."""
    if "\r" in value or "\n" in value:
        return value.replace("\r\n", "\n").replace("\n", "\r\n")
    return value


def _one_line(value: str) -> str:
    """Header values never carry line breaks (no header injection from a name); no-break
    spaces stay (French puts one before ":" in "Circulaire conjointe : …")."""
    return _SPACES.sub(" ", str(value)).strip()


def _encoded(value: str) -> str:
    value = _one_line(value)
    if value.isascii() and len(value) < 900:
        return value
    return Header(value, "utf-8").encode(linesep="\r\n")


def _part(boundary: str, content_type: str, content: str) -> bytes:
    """One MIME part, its content (lines already ended by CRLF) in base64 lines of 76
    characters (RFC 2045), cut from one encoding: `encodebytes` encodes each line with a
    call of its own."""
    whole = base64.b64encode(content.encode("utf-8"))
    lines = [whole[i : i + 76] for i in range(0, len(whole), 76)]
    return (
        f"--{boundary}\r\nContent-Type: {content_type}; charset=utf-8\r\n"
        f"Content-Transfer-Encoding: base64\r\n\r\n"
    ).encode("ascii") + b"\r\n".join([*lines, b""])


def _language_name(code: str) -> str:
    return language_name(code, in_sentence=True)
