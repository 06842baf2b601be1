"""The notification e-mails as their recipients read them: one message per person, in the
person's language, each event described with its content in the best language available,
repeated events grouped, and the one-click unsubscribe headers (RFC 8058)."""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from email import quoprimime
from email.charset import QP, Charset
from email.header import Header
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import formatdate, make_msgid

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from entrevilles.dates import format_date

from .models import EventKind, Notification

# --- one-click unsubscribe (RFC 8058) ---------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _signing_key(secret: str) -> bytes:
    return hashlib.sha256(f"notifications.unsubscribe:{secret}".encode()).digest()


def _signature(payload: str) -> str:
    key = _signing_key(settings.SECRET_KEY)
    return hmac.digest(key, payload.encode(), "sha256").hex()[:32]


def unsubscribe_token(user_id: int, scope: str) -> str:
    """A token naming a person and what to stop: a kind of event, or "all" of a digest."""
    payload = f"{user_id}.{scope}"
    return f"{payload}.{_signature(payload)}"


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(user id, scope) of a genuine token; ValueError for a forged or damaged one."""
    payload, _dot, signature = token.rpartition(".")
    user_id, _dot, scope = payload.partition(".")
    if not (payload and user_id.isdigit() and hmac.compare_digest(signature, _signature(payload))):
        raise ValueError("bad token")
    if scope != "all":
        EventKind(scope)
    return int(user_id), scope


def unsubscribe_url(user_id: int, scope: str, prefix: str | None = None) -> str:
    """The one-click link; `prefix` (the address up to the token) saves a URL reversal."""
    if prefix is None:
        prefix = settings.SITE_URL + reverse("notifications:unsubscribe", args=["TOKEN"])[:-6]
    return f"{prefix}{unsubscribe_token(user_id, scope)}/"


# --- choosing what each e-mail carries ----------------------------------------------------------


class NotificationMessage(EmailMessage):
    """A plain-text message built with the compat32 policy (much faster than the modern
    one for tens of thousands of digests), with the RFC 8058 headers."""

    def message(self, *, policy=None):
        charset = Charset("utf-8")
        charset.body_encoding = QP
        msg = MIMEText(self.body, "plain", charset, policy=MESSAGE_POLICY)
        msg["Subject"] = _header(self.subject)
        msg["From"] = _header(self.from_email)
        msg["To"] = _header(", ".join(self.to))
        msg["Date"] = formatdate(localtime=settings.EMAIL_USE_LOCALTIME)
        msg["Message-ID"] = self.extra_headers.get("Message-ID") or make_msgid(domain=DNS_NAME)
        for name, value in self.extra_headers.items():
            if name != "Message-ID":
                msg[name] = value
        return msg

    def wire_bytes(self) -> bytes:
        """The message as handed to the SMTP server, written directly: the e-mail package's
        generator (header folding above all) took more time than the rest of a digest."""
        lines = [
            f"Subject: {_encoded(self.subject)}",
            f"From: {_encoded(self.from_email)}",
            f"To: {', '.join(self.to)}",
            f"Date: {formatdate(localtime=settings.EMAIL_USE_LOCALTIME)}",
            f"Message-ID: {self.extra_headers['Message-ID']}",
            *(
                f"{name}: {value}"
                for name, value in self.extra_headers.items()
                if name != "Message-ID"
            ),
            "MIME-Version: 1.0",
            'Content-Type: text/plain; charset="utf-8"',
            "Content-Transfer-Encoding: quoted-printable",
            "",
            quoprimime.body_encode(self.body.encode().decode("latin-1"), eol="\r\n"),
        ]
        return "\r\n".join(lines).encode("ascii")


MESSAGE_POLICY = compat32.clone(linesep="\r\n")


def _header(value: str):
    return value if value.isascii() else Header(value, "utf-8")


@functools.lru_cache(maxsize=512)
def _encoded(value: str) -> str:
    """A header value as RFC 2047 words when not plain ASCII (subjects repeat: cached)."""
    if value.isascii():
        return value
    return Header(value, "utf-8").encode(linesep="\r\n")


def kind_line(kind: str) -> str:
    """What happened, in the active language, with the subject's title to fill in."""
    return {
        EventKind.EXPERIENCE_PUBLISHED: _("New experience: %(title)s"),
        EventKind.NEED_SUGGESTIONS: _("New suggestions for the need %(title)s"),
        EventKind.PARTNERSHIP_PROPOSED: _("Partnership proposed: %(title)s"),
        EventKind.PARTNERSHIP_ANSWERED: _("A party answered the proposal %(title)s"),
        EventKind.PARTNERSHIP_CHANGED: _("Partnership %(title)s changed status"),
        EventKind.REPORT_DUE: _("A monitoring report of %(title)s is due"),
        EventKind.REPORT_COMMENTED: _("A monitoring report of %(title)s was commented"),
        EventKind.GROUP_SESSION: _("Session of the learning group %(title)s recorded"),
        EventKind.GROUP_CONCLUSION: _("New conclusion of the learning group %(title)s"),
        EventKind.MINUTES_APPROVED: _("Minutes approved: %(title)s"),
        EventKind.REPORT_PUBLISHED: _("Report published: %(title)s"),
        EventKind.DOCUMENT_PUBLISHED: _("Document published: %(title)s"),
        EventKind.DECISION_RECORDED: _("Decision recorded at %(title)s"),
        EventKind.MEETING_CHANGED: _("Meeting changed: %(title)s"),
        EventKind.MEETING_CANCELLED: _("Meeting cancelled: %(title)s"),
        EventKind.ACTION_ASSIGNED: _("Action assigned: %(title)s"),
        EventKind.ACTION_UPDATED: _("Action updated: %(title)s"),
        EventKind.ACTION_DUE: _("Action due soon or late: %(title)s"),
        EventKind.CIRCULAR_PUBLISHED: _("Circular published: %(title)s"),
    }[kind]


def describe(event, language: str) -> str:
    """One notification's sentence, in the active language, the title in the best one."""
    return kind_line(event.kind) % {"title": event.title_in(language)}


class Writer:
    """Digests in one language. Its sentences are translated once, when the writer is
    made, and the phrases that depend on a number or a date once for each of them."""

    def __init__(self, language: str):
        self.language = language
        with translation.override(language):
            self.kind_names = {kind: str(EventKind(kind).label) for kind in EventKind.values}
            self.kind_lines = {kind: kind_line(kind) for kind in EventKind.values}
            self.stop_lines = {
                kind: _("Stop e-mails about “%(kind)s”:") % {"kind": name}
                for kind, name in self.kind_names.items()
            }
            self.dear = _("Dear %(name)s,")
            self.dear_colleague = _("Dear colleague,")
            self.introduction = _("Here is what happened on what you follow:")
            self.all_notifications = _("All your notifications:")
            self.choose = _("Choose what you receive and how often:")
        self.settings_url = settings.SITE_URL + reverse("notifications:preferences")
        self.list_url = settings.SITE_URL + reverse("notifications:list")
        self.unsubscribe_prefix = (
            settings.SITE_URL + reverse("notifications:unsubscribe", args=["TOKEN"])[:-6]
        )
        self.dates: dict[date, str] = {}
        self.plurals: dict[tuple[str, int], str] = {}

    def _date(self, day: date) -> str:
        text = self.dates.get(day)
        if text is None:
            with translation.override(self.language):
                text = self.dates[day] = format_date(day, "SHORT_DATE_FORMAT")
        return text

    def _ngettext(self, singular: str, plural: str, count: int) -> str:
        text = self.plurals.get((singular, count))
        if text is None:
            with translation.override(self.language):
                text = self.plurals[(singular, count)] = ngettext(singular, plural, count)
        return text

    def message(
        self, user_id: int, name: str, email: str, notifications: Sequence[Notification]
    ) -> NotificationMessage:
        """The e-mail to `email` (person `user_id`, called `name`) of these notifications:
        anything with a Notification's pk, kind, created_at and event."""
        groups: dict[tuple[str, int], list[Notification]] = defaultdict(list)
        for notification in sorted(notifications, key=lambda n: (n.created_at, n.pk)):
            event = notification.event
            groups[(event.subject_type, event.subject_id)].append(notification)
        subject = self._ngettext(
            "Entrevilles: %(counter)s update on what you follow",
            "Entrevilles: %(counter)s updates on what you follow",
            len(notifications),
        ) % {"counter": len(notifications)}
        parts = [
            self.dear % {"name": name} if name else self.dear_colleague,
            "\n\n",
            self.introduction,
            "\n",
        ]
        for group in groups.values():
            event = group[-1].event
            title = event.title_in(self.language)
            url = settings.SITE_URL + event.url
            parts.append("\n")
            if len(group) == 1:
                line = self.kind_lines[event.kind] % {"title": title}
                parts += ["- ", line, "\n  ", url, "\n"]
                continue
            parts += [
                "- ",
                self._ngettext(
                    "%(count)s update on %(title)s",
                    "%(count)s updates on %(title)s",
                    len(group),
                )
                % {"count": len(group), "title": title},
                "\n",
            ]
            for notification in group:
                when = self._date(timezone.localtime(notification.created_at).date())
                parts += ["    · ", when, " ", self.kind_names[notification.kind], "\n"]
            parts += ["  ", url, "\n"]
        kinds = sorted({n.kind for n in notifications})
        parts += ["\n", self.all_notifications, " ", self.list_url, "\n"]
        parts += [self.choose, " ", self.settings_url, "\n"]
        for kind in kinds:
            parts += [
                self.stop_lines[kind],
                " ",
                unsubscribe_url(user_id, kind, self.unsubscribe_prefix),
                "\n",
            ]
        one_click = unsubscribe_url(
            user_id, kinds[0] if len(kinds) == 1 else "all", self.unsubscribe_prefix
        )
        return NotificationMessage(
            subject=subject,
            body="".join(parts),
            to=[email],
            headers={
                "Message-ID": make_msgid(domain=DNS_NAME),
                "List-Unsubscribe": f"<{one_click}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )


def mail_language(preferred: str) -> str:
    """The language of a person's e-mails: theirs if the platform speaks it."""
    return preferred if preferred in settings.LANGUAGE_CODES else settings.LANGUAGE_CODE
