"""Each recipient's message, composed as MIME from the versions rendered once per run."""

from __future__ import annotations

import base64
import re
import uuid
from datetime import datetime
from email.header import Header
from email.utils import format_datetime, formataddr, parseaddr

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
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
        name, _address = parseaddr(self.from_email)
        self.from_header = formataddr((_one_line(name), address), charset="utf-8")
        self.list_archive = f"<{settings.SITE_URL}{reverse('circulars:archive')}>"
        self.unsubscribe_prefix = settings.SITE_URL + reverse(
            "circulars:unsubscribe", args=["TOKEN"]
        ).removesuffix("TOKEN/")
        self._parts: dict[tuple[str, str], tuple[str, str, str, bool]] = {}
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

    def message(
        self,
        delivery: Delivery,
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
        subject, text, html, personal = self.parts(delivery.language, delivery.preferred_language)
        url = f"{self.unsubscribe_prefix}{unsubscribe_token(delivery.email, delivery.circular_id)}/"
        if personal:
            values = {"name": delivery.name, "organisation": delivery.organisation_name}
            text = markup.fill_placeholders(text, values, html=False)
            html = markup.fill_placeholders(html, values, html=True)
        text = text.replace(_UNSUBSCRIBE_MARK, url)
        html = html.replace(_UNSUBSCRIBE_MARK, url)
        boundary = f"{self._boundary}{delivery.pk}"
        headers = [
            ("Subject", _encoded(subject_prefix + subject)),
            ("From", self.from_header),
            ("To", formataddr((_one_line(delivery.name), delivery.email), charset="utf-8")),
        ]
        if self.reply_to:
            headers.append(("Reply-To", ", ".join(self.reply_to)))
        headers += [
            ("Date", self._date(now or timezone.now())),
            ("Message-ID", message_id or delivery.message_id(self.domain)),
            ("MIME-Version", "1.0"),
            ("Content-Type", f'multipart/alternative; boundary="{boundary}"'),
            ("Content-Language", delivery.language),
            ("List-Id", self.list_id),
            ("List-Unsubscribe", f"<{url}>"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            ("List-Archive", self.list_archive),
            ("Precedence", "bulk"),
            ("Auto-Submitted", "auto-generated"),
        ]
        head = "".join(f"{name}: {value}\r\n" for name, value in headers)
        return (
            head
            + "\r\n"
            + _part(boundary, "text/plain", text)
            + _part(boundary, "text/html", html)
            + f"--{boundary}--\r\n"
        ).encode("ascii")


def _one_line(value: str) -> str:
    """Header values never carry line breaks (no header injection from a name); no-break
    spaces stay (French puts one before ":" in "Circulaire conjointe : …")."""
    return _SPACES.sub(" ", str(value)).strip()


def _encoded(value: str) -> str:
    value = _one_line(value)
    if value.isascii() and len(value) < 900:
        return value
    return Header(value, "utf-8").encode(linesep="\r\n")


def _part(boundary: str, content_type: str, content: str) -> str:
    data = content.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")
    # Lines of 76 characters (RFC 2045), cut from one encoding: `encodebytes` encodes
    # each line with a call of its own.
    whole = base64.b64encode(data).decode("ascii")
    encoded = "".join(f"{whole[i : i + 76]}\r\n" for i in range(0, len(whole), 76))
    return (
        f"--{boundary}\r\nContent-Type: {content_type}; charset=utf-8\r\n"
        f"Content-Transfer-Encoding: base64\r\n\r\n{encoded}"
    )


def _language_name(code: str) -> str:
    return language_name(code, in_sentence=True)
