"""Sending a circular: each recipient exactly once, even when the worker dies mid-run.

Every Delivery row goes through a small state machine, each step an UPDATE committed on
its own before the next network action:

    queued ──claim──▶ sending ──(SMTP 354, before the content)──▶ handed ──250──▶ sent
       ▲                 │                                          │
       └── 4xx / before ─┘                                          └── 5xx ──▶ failed
           the content, with back-off

- A row is *claimed* (queued → sending, with a claim token and `claimed_at`) by one
  conditional UPDATE, so two workers never hold the same row.
- Right before the message content is transmitted (after the server's 354 reply to
  DATA), the row becomes `handed`, again conditionally on our claim. Until then nothing
  of the message has reached the server and an SMTP transaction that is not ended by
  "." and answered 250 delivers nothing (RFC 5321 §4.1.1.4): a row left `sending` by a
  dead worker is safely queued again once its lease has expired.
- The server's reply is recorded right after it arrives. A row left `handed` by a dead
  worker is the one ambiguous case: the content may or may not have been accepted (the
  reply may have been lost, RFC 1047). We do NOT send it again automatically, since the
  brief's first rule is "never twice": it becomes `unconfirmed`, counted as done and
  listed with its Message-ID (stable per delivery), so the relay's log can tell, and an
  operator may decide. At most one row per worker and crash can be in that state, and
  only for the few milliseconds between the content and the reply.
- A worker whose lease expired while it still worked cannot send a row recovered by
  another: the `handed` UPDATE is conditional on its own claim.

A run sends over a pool of SMTP connections (settings.CIRCULARS_SMTP_CONNECTIONS), each
kept open from batch to batch by a thread with its own claim token: to the ledger each is
one more worker. A process killed mid-run leaves at most one `handed` row per connection.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import hmac
import logging
import re
import smtplib
import ssl
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.header import Header
from email.utils import format_datetime, formataddr, parseaddr

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DEFAULT_DB_ALIAS, OperationalError, transaction
from django.db import connection as db_connection
from django.db import connections as db_connections
from django.db.models import Count, F, Min, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from entrevilles.integers import parse_int
from entrevilles.languages import language_name
from notifications.events import record_event
from notifications.models import EventKind

from . import markup
from .composer import of_commissions
from .models import (
    Circular,
    CircularEvent,
    CircularStatus,
    Delivery,
    DeliveryStatus,
    Suppression,
    SuppressionReason,
)

log = logging.getLogger(__name__)

BATCH_SIZE = 200
# How long the pool's members wait for each other's first claim before going on alone.
POOL_START_SECONDS = 10
# A claimed row not handed over within this time belongs to a dead worker.
LEASE = timedelta(minutes=5)
# Waits before the 2nd, 3rd, ... attempt after a temporary failure; then it has failed.
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
UNSUBSCRIBE_SALT = "circulars.unsubscribe"
UNSUBSCRIBE_MAX_AGE = timedelta(days=730)
_UNSUBSCRIBE_MARK = "UNSUBSCRIBE-LINK-8f2c"


# --- transient database locks ------------------------------------------------------------


def _locked(error: Exception) -> bool:
    return "locked" in str(error).lower()


def retry_when_locked(function):
    """Run a database step again, a few times, when the database says it is locked.

    SQLite answers "database is locked" once its busy timeout is spent, and "database
    table is locked" (shared cache, no busy timeout at all) at once; either would end the
    run with claimed rows left for the lease to recover. Each step is its own transaction,
    so running it again is safe; inside a caller's transaction the error is left to it.
    """

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        for attempt in range(8):
            try:
                return function(*args, **kwargs)
            except OperationalError as error:
                if not _locked(error) or attempt == 7 or db_connection.in_atomic_block:
                    raise
                log.warning("%s: database locked, trying again", function.__name__)
                time.sleep(0.02 * 2**attempt)
        raise AssertionError("unreachable")

    return wrapper


# --- unsubscribe tokens ----------------------------------------------------------------


def _token_signature(payload: str, secret) -> str:
    key = hashlib.sha256(f"{UNSUBSCRIBE_SALT}:{secret}".encode()).digest()
    digest = hmac.new(key, payload.encode("ascii"), hashlib.sha256).digest()[:18]
    return base64.urlsafe_b64encode(digest).decode("ascii")


def unsubscribe_token(email: str, circular_id: int) -> str:
    """`<circular>.<day>.<address, base64url>.<HMAC-SHA256>`: one per message, so it is
    built with one HMAC (Django's signing, compressed JSON and a derived key for each
    token, cost a tenth of a run's time)."""
    day = int(time.time() // 86400)
    address = base64.urlsafe_b64encode(email.encode("utf-8")).decode("ascii").rstrip("=")
    payload = f"{int(circular_id)}.{day}.{address}"
    return f"{payload}.{_token_signature(payload, settings.SECRET_KEY)}"


def read_unsubscribe_token(token: str) -> tuple[str, int]:
    """The address and circular of a token; raises signing.BadSignature if forged or expired."""
    parts = token.split(".")
    # Test copies carry circular 0.
    if len(parts) != 4 or any(parse_int(part, minimum=0) is None for part in parts[:2]):
        # Links sent before tokens were compact: Django's signed, compressed JSON.
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
        if not isinstance(data, dict) or not isinstance(data.get("e"), str):
            raise signing.BadSignature("malformed")
        return data["e"], int(data.get("c") or 0)
    payload = ".".join(parts[:3])
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if not any(
        hmac.compare_digest(parts[3], _token_signature(payload, secret)) for secret in secrets
    ):
        raise signing.BadSignature("forged")
    if time.time() // 86400 - int(parts[1]) > UNSUBSCRIBE_MAX_AGE.days:
        raise signing.SignatureExpired("expired")
    try:
        email = base64.urlsafe_b64decode(parts[2] + "=" * (-len(parts[2]) % 4)).decode("utf-8")
    except (ValueError, UnicodeDecodeError) as error:
        raise signing.BadSignature("malformed") from error
    return email, int(parts[0])


def unsubscribe_url(email: str, circular_id: int) -> str:
    token = unsubscribe_token(email, circular_id)
    return settings.SITE_URL + reverse("circulars:unsubscribe", args=[token])


# --- fixing the recipients ----------------------------------------------------------------


def fix_recipients(circular: Circular) -> int:
    """One queued Delivery per address of the audience, now; returns how many.

    Called inside the transaction that starts the sending, so the list and the status
    change are one. Rows are inserted in chunks; a second call adds nothing (unique
    per circular and address).
    """
    from .audiences import recipients

    rows = (
        recipients(circular)
        .order_by("address", "pk")
        .values_list(
            "address", "pk", "first_name", "last_name", "preferred_language", "organisation__name"
        )
    )
    chunk: list[Delivery] = []
    now = timezone.now()
    for address, person_id, first, last, preferred, organisation in rows.iterator(chunk_size=5000):
        preferred = preferred if preferred in settings.LANGUAGE_CODES else "en"
        chunk.append(
            Delivery(
                circular_id=circular.pk,
                person_id=person_id,
                email=address,
                name=f"{first} {last}".strip()[:250],
                organisation_name=(organisation or "")[:250],
                language=circular.language_for(preferred),
                preferred_language=preferred,
                next_attempt_at=now,
            )
        )
        if len(chunk) >= 2000:
            Delivery.objects.bulk_create(chunk, ignore_conflicts=True)
            chunk = []
    if chunk:
        Delivery.objects.bulk_create(chunk, ignore_conflicts=True)
    return Delivery.objects.filter(circular_id=circular.pk).count()


# --- claims and recovery ------------------------------------------------------------------


@retry_when_locked
def recover_stale(circular_id: int, now: datetime | None = None) -> tuple[int, int]:
    """Rows a dead worker left behind: `sending` past the lease are queued again (nothing
    of them reached the server); `handed` past the lease become `unconfirmed`."""
    now = now or timezone.now()
    stale = Q(circular_id=circular_id, claimed_at__lt=now - LEASE)
    # Due at once (never later than the real clock, when a caller looks ahead in time).
    due = min(now, timezone.now())
    requeued = Delivery.objects.filter(stale, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.QUEUED, claim="", next_attempt_at=due, updated_at=now
    )
    unconfirmed = Delivery.objects.filter(stale, status=DeliveryStatus.HANDED).update(
        status=DeliveryStatus.UNCONFIRMED,
        smtp_reply=_("The worker stopped while handing the message over; assumed delivered."),
        updated_at=now,
    )
    return requeued, unconfirmed


@retry_when_locked
def claim_batch(
    circular_id: int, token: str, size: int = BATCH_SIZE, now: datetime | None = None
) -> list[Delivery]:
    """Claim up to `size` due rows for the worker holding `token`, and return them."""
    now = now or timezone.now()
    due = Delivery.objects.filter(
        circular_id=circular_id, status=DeliveryStatus.QUEUED, next_attempt_at__lte=now
    ).order_by("next_attempt_at", "id")
    with transaction.atomic():
        if transaction.get_connection().features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:size])
        # Conditional on the status: whatever another worker took meanwhile is not ours.
        # The attempt counter is raised on claim, so a crash still counts as an attempt.
        Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.QUEUED).update(
            status=DeliveryStatus.SENDING,
            claim=token,
            claimed_at=now,
            updated_at=now,
            attempts=F("attempts") + 1,
        )
    # Every row this token holds and has not handed yet, not only those claimed now: when
    # the claim committed but reading it back met a lock, the step runs again, and the
    # rows of the first claim must not be left behind for the lease.
    claimed = list(
        Delivery.objects.filter(
            circular_id=circular_id, claim=token, status=DeliveryStatus.SENDING
        ).order_by("id")
    )
    return claimed


@retry_when_locked
def mark_handed(delivery: Delivery, token: str) -> bool:
    """The last step before the content goes out; False if the row is no longer ours."""
    return bool(
        Delivery.objects.filter(pk=delivery.pk, claim=token, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.HANDED, updated_at=timezone.now()
        )
    )


@retry_when_locked
def record_sent(delivery: Delivery, reply: str, now: datetime | None = None) -> None:
    now = now or timezone.now()
    Delivery.objects.filter(
        pk=delivery.pk, status__in=[DeliveryStatus.HANDED, DeliveryStatus.UNCONFIRMED]
    ).update(status=DeliveryStatus.SENT, sent_at=now, smtp_reply=reply[:500], updated_at=now)


@retry_when_locked
def record_unconfirmed(delivery: Delivery, reply: str) -> None:
    """The content went out and the server's reply was lost: maybe delivered, so never
    sent again without someone checking."""
    Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.HANDED).update(
        status=DeliveryStatus.UNCONFIRMED, smtp_reply=reply[:500], updated_at=timezone.now()
    )


@retry_when_locked
def record_failure(
    delivery: Delivery,
    reply: str,
    *,
    permanent: bool,
    suppress: bool = False,
    now: datetime | None = None,
) -> str:
    """A failed attempt: failed for good, or queued again later. Returns the new status."""
    now = now or timezone.now()
    if not permanent and delivery.attempts < MAX_ATTEMPTS:
        status = DeliveryStatus.QUEUED
        values = {"next_attempt_at": now + RETRY_DELAYS[max(delivery.attempts - 1, 0)]}
    else:
        status = DeliveryStatus.FAILED
        values = {"permanent": permanent}
    Delivery.objects.filter(
        pk=delivery.pk, status__in=[DeliveryStatus.SENDING, DeliveryStatus.HANDED]
    ).update(status=status, claim="", smtp_reply=reply[:500], updated_at=now, **values)
    if suppress:
        Suppression.objects.get_or_create(
            email=delivery.email,
            defaults={
                "reason": SuppressionReason.REFUSED,
                "detail": reply[:500],
                "circular_id": delivery.circular_id,
            },
        )
    return status


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
        boundary = f"=_circular_{uuid.uuid4().hex}"
        headers = [
            ("Subject", _encoded(subject_prefix + subject)),
            ("From", self.from_header),
            ("To", formataddr((_one_line(delivery.name), delivery.email), charset="utf-8")),
        ]
        if self.reply_to:
            headers.append(("Reply-To", ", ".join(self.reply_to)))
        headers += [
            ("Date", format_datetime(now or timezone.now())),
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
    return re.sub(r"[^\S\u00a0\u202f]+", " ", str(value)).strip()


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


# --- SMTP -----------------------------------------------------------------------------------


class _SMTP(smtplib.SMTP):
    """smtplib's client, telling when the content of a message has begun to leave.

    `data()` calls `before_content` after the server's 354 (a failure before that is a
    plain failure: nothing was transmitted) and sets `content_sent` once the final "."
    went out (a failure after that is the ambiguous case).
    """

    before_content = None
    content_sent = False

    def envelope_command(self, command: str, prefix: str, address: str):
        """MAIL FROM or RCPT TO for an address already validated. smtplib's `mail` and
        `rcpt` parse each address again (RFC 2822, a fifth of a message's CPU time); a
        plain ASCII address without brackets, quotes or spaces goes out as it is."""
        if address and address.isascii() and not any(c in address for c in '<>" \r\n'):
            self.putcmd(command, f"{prefix}<{address}>")
            return self.getreply()
        return self.mail(address) if command == "mail" else self.rcpt(address)

    def data(self, msg):
        self.content_sent = False
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        if self.before_content is not None and not self.before_content():
            # Our claim was lost (lease expired, row recovered). Mid-DATA the only way to
            # abort is to drop the connection: a transaction not ended by "." delivers
            # nothing.
            self.close()
            raise _ClaimLost
        quoted = smtplib._quote_periods(msg)
        if quoted[-2:] != smtplib.bCRLF:
            quoted += smtplib.bCRLF
        self.send(quoted + b"." + smtplib.bCRLF)
        self.content_sent = True
        return self.getreply()


class _SMTPS(_SMTP, smtplib.SMTP_SSL):
    pass


class _ClaimLost(Exception):
    pass


def open_smtp() -> _SMTP:
    """A connection to the configured relay (settings.MAILERS["default"]["OPTIONS"])."""
    options = settings.MAILERS["default"].get("OPTIONS", {})
    host = options.get("host", "127.0.0.1")
    port = options.get("port", 25)
    timeout = options.get("timeout") or 30
    if options.get("use_ssl"):
        connection = _SMTPS(host, port, timeout=timeout)
    else:
        connection = _SMTP(host, port, timeout=timeout)
    connection.ehlo()
    if options.get("use_tls"):
        connection.starttls(context=ssl.create_default_context())
        connection.ehlo()
    if options.get("username"):
        connection.login(options["username"], options.get("password") or "")
    return connection


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0
    retry: int = 0
    unconfirmed: int = 0
    skipped: int = 0


def _reply_text(code, reply) -> str:
    if isinstance(reply, bytes):
        reply = reply.decode("utf-8", "replace")
    return f"{code} {reply}".strip()


_SQLITE_WRITES = threading.Lock()


class Ledger:
    """The hot path's writes: one small transaction per message, in prepared SQL.

    The state machine is unchanged, but a message's "sent" is written together with the
    next message's "handed" (one commit per message instead of two), and the statements
    are plain parameterised SQL (the ORM's per-call cost was most of a message's). A
    worker that dies after the server accepted a message and before the next commit
    leaves that one row `handed`, which recovery turns into `unconfirmed`: received, and
    never sent again.
    """

    def __init__(self, token: str):
        self.token = token
        self.pending: list[tuple[int, str, datetime]] = []
        # This thread's connection itself: the proxy looks it up again on every access.
        self.db = db_connections[DEFAULT_DB_ALIAS]
        quote = self.db.ops.quote_name
        table = quote(Delivery._meta.db_table)
        status, updated, pk = quote("status"), quote("updated_at"), quote("id")
        self._handed_sql = (
            f"UPDATE {table} SET {status} = %s, {updated} = %s "  # noqa: S608 - quoted names
            f"WHERE {pk} = %s AND {quote('claim')} = %s AND {status} = %s"
        )
        self._sent_sql = (
            f"UPDATE {table} SET {status} = %s, {quote('sent_at')} = %s, "  # noqa: S608
            f"{quote('smtp_reply')} = %s, {updated} = %s WHERE {pk} = %s AND {status} IN (%s, %s)"
        )

    def _sent_rows(self) -> list[tuple]:
        """The parameters of `_sent_sql` for each accepted message not yet recorded."""
        adapt = self.db.ops.adapt_datetimefield_value
        rows = []
        for pk, reply, at in self.pending:
            at = adapt(at)
            rows.append(
                (
                    DeliveryStatus.SENT.value,
                    at,
                    reply[:500],
                    at,
                    pk,
                    DeliveryStatus.HANDED.value,
                    DeliveryStatus.UNCONFIRMED.value,
                )
            )
        return rows

    def _handed_row(self, delivery: Delivery) -> tuple:
        """The parameters of `_handed_sql` for `delivery`."""
        return (
            DeliveryStatus.HANDED.value,
            self.db.ops.adapt_datetimefield_value(timezone.now()),
            delivery.pk,
            self.token,
            DeliveryStatus.SENDING.value,
        )

    def _write_sent(self, cursor) -> None:
        for row in self._sent_rows():
            cursor.execute(self._sent_sql, row)
        self.pending = []

    def _sqlite_handed(self, delivery: Delivery) -> bool:
        """The same transaction on SQLite's own connection: BEGIN, the updates, COMMIT,
        without the framework's savepoint and cursor layers (most of a message's cost)."""
        self.db.ensure_connection()
        raw = self.db.connection
        # The pool's threads take turns here rather than in SQLite's busy handler, which
        # sleeps up to 100 ms between tries: a waiting thread wakes as soon as the lock is
        # free.
        with _SQLITE_WRITES, self.db.wrap_database_errors:
            raw.execute("BEGIN IMMEDIATE")
            try:
                sent_sql = self._sent_sql.replace("%s", "?")
                for row in self._sent_rows():
                    raw.execute(sent_sql, row)
                handed_sql = self._handed_sql.replace("%s", "?")
                mine = raw.execute(handed_sql, self._handed_row(delivery)).rowcount
                raw.execute("COMMIT")
            except BaseException:
                if raw.in_transaction:
                    raw.execute("ROLLBACK")
                raise
        self.pending = []
        return mine == 1

    @retry_when_locked
    def handed(self, delivery: Delivery) -> bool:
        """Record what was accepted so far and hand `delivery` over, in one commit;
        False if the row is no longer ours (the lease expired and it was recovered)."""
        if self.db.vendor == "sqlite" and not self.db.in_atomic_block and self.db.get_autocommit():
            return self._sqlite_handed(delivery)
        with transaction.atomic(using=self.db.alias), self.db.cursor() as cursor:
            self._write_sent(cursor)
            cursor.execute(self._handed_sql, self._handed_row(delivery))
            return cursor.rowcount == 1

    @retry_when_locked
    def take_back(self, delivery: Delivery) -> bool:
        """The connection broke before the content was complete: nothing was delivered
        (RFC 5321 §4.1.1.4), so the row is ours to send again over a new connection.
        False if it is no longer ours."""
        return bool(
            Delivery.objects.filter(
                pk=delivery.pk,
                claim=self.token,
                status__in=[DeliveryStatus.SENDING, DeliveryStatus.HANDED],
            ).update(status=DeliveryStatus.SENDING, updated_at=timezone.now())
        )

    def sent(self, delivery: Delivery, reply: str, now: datetime | None = None) -> None:
        """The server accepted it; written with the next hand-over or at `flush`."""
        self.pending.append((delivery.pk, reply, now or timezone.now()))

    @retry_when_locked
    def flush(self) -> None:
        if self.pending:
            with transaction.atomic(using=self.db.alias), self.db.cursor() as cursor:
                self._write_sent(cursor)


def send_one(
    delivery: Delivery,
    renderer: Renderer,
    connection: _SMTP,
    token: str | Ledger,
    outcome: Outcome,
    now: datetime | None = None,
    *,
    reconnect: bool = False,
) -> bool | None:
    """Send one claimed delivery over `connection` and record what happened.

    Returns False when the connection is no longer usable (the caller opens another).
    With `reconnect`, a connection that breaks (or a server that says 421, closing)
    before the content was complete leaves the row claimed and returns None: the
    caller sends it again over a new connection, at once, instead of after a back-off.
    """
    ledger = token if isinstance(token, Ledger) else Ledger(token)
    try:
        validate_email(delivery.email)
    except ValidationError:
        ledger.flush()
        record_failure(delivery, _("Invalid e-mail address."), permanent=True, now=now)
        outcome.failed += 1
        return True
    try:
        message = renderer.message(delivery, now)
    except Exception as error:  # a version that cannot be rendered fails alone
        log.exception("circular %s: rendering failed", delivery.circular_id)
        ledger.flush()
        record_failure(
            delivery,
            _("The message could not be rendered: %(error)s") % {"error": error},
            permanent=True,
            now=now,
        )
        outcome.failed += 1
        return True
    connection.content_sent = False
    connection.before_content = lambda: ledger.handed(delivery)
    try:
        code, reply = connection.envelope_command("mail", "FROM:", renderer.envelope_from)
        if code != 250:
            connection.rset()
            raise smtplib.SMTPSenderRefused(code, reply, renderer.envelope_from)
        code, reply = connection.envelope_command("rcpt", "TO:", delivery.email)
        if code not in (250, 251):
            connection.rset()
            raise smtplib.SMTPRecipientsRefused({delivery.email: (code, reply)})
        code, reply = connection.data(message)
    except _ClaimLost:
        outcome.skipped += 1
        return False
    except smtplib.SMTPRecipientsRefused as error:
        ledger.flush()
        code, reply = next(iter(error.recipients.values()))
        if code == 421 and reconnect:
            return _again(delivery, ledger, outcome)
        permanent = 500 <= code < 600
        status = record_failure(
            delivery, _reply_text(code, reply), permanent=permanent, suppress=permanent, now=now
        )
        _count(outcome, status)
        return True
    except smtplib.SMTPResponseException as error:
        ledger.flush()
        if error.smtp_code == 421 and reconnect and not connection.content_sent:
            return _again(delivery, ledger, outcome)
        permanent = 500 <= error.smtp_code < 600
        status = record_failure(
            delivery, _reply_text(error.smtp_code, error.smtp_error), permanent=permanent, now=now
        )
        _count(outcome, status)
        return True
    except (TimeoutError, smtplib.SMTPException, OSError) as error:
        ledger.flush()
        if connection.content_sent:
            # The content went out and the reply was lost: never sent again automatically.
            record_unconfirmed(
                delivery,
                _("Connection lost after the message was transmitted: %(error)s")
                % {"error": error},
            )
            outcome.unconfirmed += 1
        elif reconnect:
            return _again(delivery, ledger, outcome)
        else:
            status = record_failure(
                delivery,
                _("Connection problem: %(error)s") % {"error": error or type(error).__name__},
                permanent=False,
                now=now,
            )
            _count(outcome, status)
        return False
    if code == 250:
        ledger.sent(delivery, _reply_text(code, reply), now=now)
        if ledger is not token:
            ledger.flush()
        outcome.sent += 1
    else:
        ledger.flush()
        permanent = 500 <= code < 600
        status = record_failure(delivery, _reply_text(code, reply), permanent=permanent, now=now)
        _count(outcome, status)
    return True


def _again(delivery: Delivery, ledger: Ledger, outcome: Outcome) -> bool | None:
    """Keep the row for another connection, or give up on it if it is no longer ours."""
    if ledger.take_back(delivery):
        return None
    outcome.skipped += 1
    return False


def _count(outcome: Outcome, status: str) -> None:
    if status == DeliveryStatus.FAILED:
        outcome.failed += 1
    else:
        outcome.retry += 1


class Channel:
    """One SMTP connection of the pool: opened when first needed, kept open from batch
    to batch, and opened again when it breaks."""

    def __init__(self):
        self.connection: _SMTP | None = None

    def open(self) -> _SMTP:
        if self.connection is None:
            self.connection = open_smtp()
        return self.connection

    def drop(self) -> None:
        if self.connection is not None:
            _close(self.connection)
            self.connection = None


def send_batch(
    circular: Circular,
    deliveries: list[Delivery],
    token: str,
    now: datetime | None = None,
    channel: Channel | None = None,
    renderer: Renderer | None = None,
) -> Outcome:
    """Send claimed rows over one SMTP connection: `channel`'s, kept open for the next
    batch, or one of its own, closed at the end.

    When the connection breaks before a message's content was complete, the message is
    sent again at once over a new connection; if that one breaks too, the row is
    queued again with back-off (the relay is in trouble, not the recipient).
    """
    outcome = Outcome()
    renderer = renderer or Renderer(circular)
    ledger = Ledger(token)
    own = channel is None
    channel = channel or Channel()
    try:
        for index, delivery in enumerate(deliveries):
            for reconnect in (True, False):
                try:
                    connection = channel.open()
                except (smtplib.SMTPException, OSError) as error:
                    # The relay is unreachable: give the rest of the batch back, with back-off.
                    ledger.flush()
                    reason = _("Cannot reach the mail server: %(error)s") % {"error": error}
                    for rest in deliveries[index:]:
                        _count(outcome, record_failure(rest, reason, permanent=False, now=now))
                    return outcome
                done = send_one(
                    delivery, renderer, connection, ledger, outcome, now, reconnect=reconnect
                )
                if not done:
                    channel.drop()
                if done is not None:
                    break
    finally:
        ledger.flush()
        if own:
            channel.drop()
    return outcome


def _close(connection) -> None:
    try:
        connection.quit()
    except (smtplib.SMTPException, OSError):
        connection.close()


# --- the run --------------------------------------------------------------------------------


def progress(circular_id: int) -> dict[str, int]:
    """Counts per delivery status (one grouped query on the delivery index)."""
    counts = {status: 0 for status in DeliveryStatus.values}
    for row in (
        Delivery.objects.filter(circular_id=circular_id)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[row["status"]] = row["n"]
    counts["total"] = sum(counts[s] for s in DeliveryStatus.values)
    counts["done"] = (
        counts[DeliveryStatus.SENT]
        + counts[DeliveryStatus.FAILED]
        + counts[DeliveryStatus.UNCONFIRMED]
        + counts[DeliveryStatus.BOUNCED]
    )
    return counts


@retry_when_locked
def _circular(circular_id: int) -> Circular:
    # A read too meets a lock while another connection writes (SQLite's shared cache).
    return Circular.objects.prefetch_related("commissions").get(pk=circular_id)


def run_batch(
    circular_id: int,
    token: str | None = None,
    now: datetime | None = None,
    channel: Channel | None = None,
    size: int = BATCH_SIZE,
    renderer: Renderer | None = None,
    claimed: Callable[[], None] | None = None,
) -> Outcome | None:
    """One step of a run: claim a batch and send it. None when there was nothing to claim
    or the circular is not being sent (stopped, or not yet started). `claimed` is called
    between the claim and the sending."""
    circular = _circular(circular_id)
    if circular.status != CircularStatus.SENDING:
        return None
    token = token or uuid.uuid4().hex
    deliveries = claim_batch(circular_id, token, size=size, now=now)
    if claimed is not None:
        claimed()
    if not deliveries:
        return None
    outcome = send_batch(circular, deliveries, token, now=now, channel=channel, renderer=renderer)
    retry_when_locked(Circular.objects.filter(pk=circular_id).update)(
        last_activity_at=timezone.now()
    )
    return outcome


@retry_when_locked
def finish_if_done(circular_id: int, now: datetime | None = None) -> datetime | None:
    """Mark the circular sent when no row is left to send. Otherwise return when the next
    queued row is due (for a later run), or None if other workers still hold rows."""
    now = now or timezone.now()
    pending = Delivery.objects.filter(
        circular_id=circular_id,
        status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING, DeliveryStatus.HANDED],
    )
    if not pending.exists():
        with transaction.atomic():
            updated = Circular.objects.filter(pk=circular_id, status=CircularStatus.SENDING).update(
                status=CircularStatus.SENT, sent_at=now, last_activity_at=now
            )
            if updated:
                CircularEvent.objects.create(
                    circular_id=circular_id,
                    status_before=CircularStatus.SENDING,
                    status_after=CircularStatus.SENT,
                    at=now,
                )
                # Now in the public archive: those who follow its commissions hear of it.
                record_event(EventKind.CIRCULAR_PUBLISHED, Circular.objects.get(pk=circular_id))
        return None
    return pending.filter(status=DeliveryStatus.QUEUED).aggregate(t=Min("next_attempt_at"))["t"]


def _send_until_done(
    circular_id: int, now: datetime | None, size: int, start: threading.Barrier | None = None
) -> None:
    """One member of the pool: its own claim token and SMTP connection, batch after
    batch, until nothing is left to claim. With `start`, every member claims its first
    batch before any claims a second: a small circular is shared among the connections
    even when one thread is scheduled late."""
    token = uuid.uuid4().hex
    channel = Channel()
    waiting = [start] if start is not None else []

    def first_claim_made() -> None:
        if waiting:
            _wait_for_the_others(waiting.pop())

    try:
        # The versions are rendered once per run, not once per batch.
        renderer = retry_when_locked(Renderer)(_circular(circular_id))
        while (
            run_batch(
                circular_id,
                token,
                now,
                channel=channel,
                size=size,
                renderer=renderer,
                claimed=first_claim_made,
            )
            is not None
        ):
            pass
    finally:
        if waiting:
            # Stopped before its first claim: the others need not wait for it.
            waiting.pop().abort()
        channel.drop()


def _wait_for_the_others(start: threading.Barrier) -> None:
    # A member stopped or is late: the others go on.
    with contextlib.suppress(threading.BrokenBarrierError):
        start.wait(timeout=POOL_START_SECONDS)


def _pool_member(
    circular_id: int, now: datetime | None, size: int, errors: list, start: threading.Barrier
) -> None:
    try:
        _send_until_done(circular_id, now, size, start)
    except BaseException as error:  # re-raised by the run, in its own thread
        errors.append(error)
    finally:
        # Each thread has database connections of its own; nobody else will close them.
        db_connections.close_all()


def run(
    circular_id: int, now: datetime | None = None, connections: int | None = None
) -> datetime | None:
    """Send until nothing is due; returns when to run again (None: finished or stopped).

    The run keeps `connections` SMTP connections open (settings.CIRCULARS_SMTP_CONNECTIONS
    by default), each in a thread that claims batches of its own: the exactly-once
    ledger is per row, so nothing changes for it. Inside a caller's transaction the
    other threads could not see its rows: the run then uses one connection, its own.
    """
    recover_stale(circular_id, now)
    connections = max(1, connections or settings.CIRCULARS_SMTP_CONNECTIONS)
    if db_connection.in_atomic_block:
        connections = 1
    # Small circulars are shared among the connections rather than claimed by the first.
    due = Delivery.objects.filter(circular_id=circular_id, status=DeliveryStatus.QUEUED).count()
    size = max(1, min(BATCH_SIZE, -(-due // connections)))
    if connections == 1:
        _send_until_done(circular_id, now, size)
    else:
        errors: list[BaseException] = []
        start = threading.Barrier(connections)
        threads = [
            threading.Thread(
                target=_pool_member,
                args=(circular_id, now, size, errors, start),
                name=f"circular-{circular_id}-smtp-{n}",
            )
            for n in range(connections)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
    if not Circular.objects.filter(pk=circular_id, status=CircularStatus.SENDING).exists():
        return None
    return finish_if_done(circular_id, now)
