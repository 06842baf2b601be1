"""Sending claimed rows over one connection, and recording what the server said."""

from __future__ import annotations

import logging
import re
import smtplib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db import connections as db_connections
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg import errors as pg_errors
from psycopg.pq import ExecStatus

from entrevilles.smtp import SMTP, Channel, ClaimLost, reply_text

from ..models import (
    Circular,
    Delivery,
    DeliveryStatus,
)
from .message import Renderer
from .rows import Claimed, record_failure, record_unconfirmed, retry_when_locked

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0
    retry: int = 0
    unconfirmed: int = 0
    skipped: int = 0


_SQLITE_WRITES = threading.Lock()
_SENDING, _HANDED = DeliveryStatus.SENDING.value, DeliveryStatus.HANDED.value
_SENT, _UNCONFIRMED = DeliveryStatus.SENT.value, DeliveryStatus.UNCONFIRMED.value
# The names of the ledger's statements prepared on PostgreSQL connections.
_HANDED_ALONE, _SENT_AND_HANDED = b"circulars_ledger_handed_1", b"circulars_ledger_both_1"


def _checked(result, pgconn):
    """A libpq result, or the driver's error for it (mapped by the framework as usual)."""
    if result.status != ExecStatus.COMMAND_OK:
        raise pg_errors.error_from_result(result, encoding=pgconn._encoding)  # noqa: SLF001
    return result


def _eager_email_validator() -> EmailValidator:
    """Django's e-mail validator with its patterns compiled now rather than on first use:
    reaching them through the lazy objects cost six times the check itself."""
    validator = EmailValidator()
    for name in ("user_regex", "domain_regex", "literal_regex"):
        lazy = getattr(EmailValidator, name)
        setattr(validator, name, re.compile(lazy.pattern, lazy.flags))
    return validator


validate_email = _eager_email_validator()


def _utc_now() -> datetime:
    # timezone.now() reads settings.USE_TZ at each call; the platform always stores UTC.
    return datetime.now(UTC)


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
        # The same statements for SQLite's own connection.
        self._sqlite_sent_sql = self._sent_sql.replace("%s", "?")
        self._sqlite_handed_sql = self._handed_sql.replace("%s", "?")
        # PostgreSQL: the same statements, prepared once per connection and executed by
        # libpq itself with the values as text. The framework's cursor writes each value
        # into the SQL text, which the server then parses and plans again, and the
        # driver's own layers cost as much again: together most of the time a pool of
        # connections held the interpreter for each message. (Behind a pooler in
        # transaction mode, such as PgBouncer, its support of prepared statements must be
        # on: `max_prepared_statements`, PgBouncer 1.21 and later.)
        self._prepared_on = None
        sent_at, reply = quote("sent_at"), quote("smtp_reply")
        handed_sql = (
            f"UPDATE {table} SET {status} = 'handed', {updated} = $1 "  # noqa: S608
            f"WHERE {pk} = $2 AND {quote('claim')} = $3 AND {status} = 'sending'"
        )
        # Two updates of one row each in one statement (one round trip, one commit): the
        # statement's row count is the hand-over's. Each is a plain lookup by key, so the
        # server keeps one generic plan instead of planning an OR of both at each call.
        both_sql = (
            f"WITH sent AS (UPDATE {table} SET {status} = 'sent', "  # noqa: S608
            f"{sent_at} = $4, {reply} = $5, {updated} = $4 "
            f"WHERE {pk} = $6 AND {status} IN ('handed', 'unconfirmed')) {handed_sql}"
        )
        self._statements = {_HANDED_ALONE: handed_sql, _SENT_AND_HANDED: both_sql}

    def _sent_rows(self) -> list[tuple]:
        """The parameters of `_sent_sql` for each accepted message not yet recorded."""
        adapt = self.db.ops.adapt_datetimefield_value
        rows = []
        for pk, reply, at in self.pending:
            at = adapt(at)
            rows.append((_SENT, at, reply[:500], at, pk, _HANDED, _UNCONFIRMED))
        return rows

    def _handed_row(self, delivery: Delivery | Claimed) -> tuple:
        """The parameters of `_handed_sql` for `delivery`."""
        return (
            _HANDED,
            self.db.ops.adapt_datetimefield_value(timezone.now()),
            delivery.pk,
            self.token,
            _SENDING,
        )

    def _write_sent(self, cursor) -> None:
        for row in self._sent_rows():
            cursor.execute(self._sent_sql, row)
        self.pending = []

    def _sqlite_handed(self, delivery: Delivery | Claimed) -> bool:
        """The same transaction on SQLite's own connection: BEGIN, the updates, COMMIT,
        without the framework's savepoint and cursor layers (most of a message's cost)."""
        if self.db.connection is None:
            self.db.ensure_connection()
        raw = self.db.connection
        # The pool's threads take turns here rather than in SQLite's busy handler, which
        # sleeps up to 100 ms between tries: a waiting thread wakes as soon as the lock is
        # free.
        with _SQLITE_WRITES, self.db.wrap_database_errors:
            raw.execute("BEGIN IMMEDIATE")
            try:
                for row in self._sent_rows():
                    raw.execute(self._sqlite_sent_sql, row)
                mine = raw.execute(self._sqlite_handed_sql, self._handed_row(delivery)).rowcount
                raw.execute("COMMIT")
            except BaseException:
                if raw.in_transaction:
                    raw.execute("ROLLBACK")
                raise
        self.pending = []
        return mine == 1

    @retry_when_locked
    def handed(self, delivery: Delivery | Claimed) -> bool:
        """Record what was accepted so far and hand `delivery` over, in one commit;
        False if the row is no longer ours (the lease expired and it was recovered)."""
        on_its_own = not self.db.in_atomic_block and self.db.get_autocommit()
        if self.db.vendor == "sqlite" and on_its_own:
            return self._sqlite_handed(delivery)
        if self.db.vendor == "postgresql" and on_its_own and len(self.pending) <= 1:
            return self._in_one_statement(delivery)
        with transaction.atomic(using=self.db.alias), self.db.cursor() as cursor:
            self._write_sent(cursor)
            cursor.execute(self._handed_sql, self._handed_row(delivery))
            return cursor.rowcount == 1

    def _execute_prepared(self, name: bytes, values: list[bytes]) -> int:
        """Execute one of `_statements` on PostgreSQL and return its row count; prepared
        first if this connection has not prepared it yet (once per run's connection)."""
        if self.db.connection is None:
            self.db.ensure_connection()
        raw = self.db.connection
        pgconn = raw.pgconn
        if self._prepared_on is not pgconn:
            for statement, sql in self._statements.items():
                if pgconn.describe_prepared(statement).status != ExecStatus.COMMAND_OK:
                    _checked(pgconn.prepare(statement, sql.encode()), pgconn)
            self._prepared_on = pgconn
        # libpq lets other threads run while it waits for the server.
        result = _checked(pgconn.exec_prepared(name, values), pgconn)
        return result.command_tuples or 0

    def _in_one_statement(self, delivery: Delivery | Claimed) -> bool:
        """PostgreSQL: the previous message's "sent" and this one's "handed" in one
        statement, its own transaction (one round trip instead of BEGIN, two updates,
        COMMIT); False if the row handed over is no longer ours."""
        values = [_utc_now().isoformat().encode(), b"%d" % delivery.pk, self.token.encode()]
        with self.db.wrap_database_errors:
            if not self.pending:
                return self._execute_prepared(_HANDED_ALONE, values) == 1
            ((sent_pk, reply, at),) = self.pending
            values += [at.isoformat().encode(), reply[:500].encode(), b"%d" % sent_pk]
            self.pending = []
            return self._execute_prepared(_SENT_AND_HANDED, values) == 1

    @retry_when_locked
    def take_back(self, delivery: Delivery | Claimed) -> bool:
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

    def sent(self, delivery: Delivery | Claimed, reply: str, now: datetime | None = None) -> None:
        """The server accepted it; written with the next hand-over or at `flush`."""
        self.pending.append((delivery.pk, reply, now or _utc_now()))

    @retry_when_locked
    def flush(self) -> None:
        if self.pending:
            with transaction.atomic(using=self.db.alias), self.db.cursor() as cursor:
                self._write_sent(cursor)


class Prepared:
    """Each row's message made ready before its turn: the address checked and the
    message rendered, or what stops it. The next row's is made while the server answers
    the current one's content, so that work is not added to each message's round trips."""

    def __init__(self, renderer: Renderer, now: datetime | None = None):
        self.renderer = renderer
        self.now = now
        self._ready: dict[int, bytes | Exception] = {}

    def ready(self, delivery: Delivery | Claimed) -> None:
        if delivery.pk in self._ready:
            return
        try:
            validate_email(delivery.email)
            self._ready[delivery.pk] = self.renderer.message(delivery, self.now)
        except Exception as error:  # a row that cannot be sent fails alone, when its turn comes
            self._ready[delivery.pk] = error

    def take(self, delivery: Delivery | Claimed) -> bytes | Exception:
        self.ready(delivery)
        return self._ready.pop(delivery.pk)


def send_one(
    delivery: Delivery | Claimed,
    renderer: Renderer | Prepared,
    connection: SMTP,
    token: str | Ledger,
    outcome: Outcome,
    now: datetime | None = None,
    *,
    reconnect: bool = False,
    upcoming: Delivery | Claimed | None = None,
) -> bool | None:
    """Send one claimed delivery over `connection` and record what happened.

    Returns False when the connection is no longer usable (the caller opens another).
    With `reconnect`, a connection that breaks (or a server that says 421, closing)
    before the content was complete leaves the row claimed and returns None: the
    caller sends it again over a new connection, at once, instead of after a back-off.
    With `upcoming`, that row's message is made ready while the server answers this one.
    """
    ledger = token if isinstance(token, Ledger) else Ledger(token)
    prepared = renderer if isinstance(renderer, Prepared) else Prepared(renderer, now)
    message = prepared.take(delivery)
    if isinstance(message, ValidationError):
        ledger.flush()
        record_failure(delivery, _("Invalid e-mail address."), permanent=True, now=now)
        outcome.failed += 1
        return True
    if isinstance(message, Exception):  # a version that cannot be rendered fails alone
        log.error("circular %s: rendering failed", delivery.circular_id, exc_info=message)
        ledger.flush()
        record_failure(
            delivery,
            _("The message could not be rendered: %(error)s") % {"error": message},
            permanent=True,
            now=now,
        )
        outcome.failed += 1
        return True
    connection.content_sent = False
    connection.before_content = lambda: ledger.handed(delivery)
    connection.after_content = (lambda: prepared.ready(upcoming)) if upcoming else None
    try:
        code, reply = connection.envelope_command("mail", "FROM:", prepared.renderer.envelope_from)
        if code != 250:
            connection.rset()
            raise smtplib.SMTPSenderRefused(code, reply, prepared.renderer.envelope_from)
        code, reply = connection.envelope_command("rcpt", "TO:", delivery.email)
        if code not in (250, 251):
            connection.rset()
            raise smtplib.SMTPRecipientsRefused({delivery.email: (code, reply)})
        code, reply = connection.data(message)
    except ClaimLost:
        outcome.skipped += 1
        return False
    except smtplib.SMTPRecipientsRefused as error:
        ledger.flush()
        code, reply = next(iter(error.recipients.values()))
        if code == 421 and reconnect:
            return _again(delivery, ledger, outcome)
        permanent = 500 <= code < 600
        status = record_failure(
            delivery, reply_text(code, reply), permanent=permanent, suppress=permanent, now=now
        )
        _count(outcome, status)
        return True
    except smtplib.SMTPResponseException as error:
        ledger.flush()
        if error.smtp_code == 421 and reconnect and not connection.content_sent:
            return _again(delivery, ledger, outcome)
        permanent = 500 <= error.smtp_code < 600
        status = record_failure(
            delivery, reply_text(error.smtp_code, error.smtp_error), permanent=permanent, now=now
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
        ledger.sent(delivery, reply_text(code, reply), now=now)
        if ledger is not token:
            ledger.flush()
        outcome.sent += 1
    else:
        ledger.flush()
        permanent = 500 <= code < 600
        status = record_failure(delivery, reply_text(code, reply), permanent=permanent, now=now)
        _count(outcome, status)
    return True


def _again(delivery: Delivery | Claimed, ledger: Ledger, outcome: Outcome) -> bool | None:
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


def send_batch(
    circular: Circular,
    deliveries: Sequence[Delivery | Claimed],
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
    prepared = Prepared(renderer or Renderer(circular), now)
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
                upcoming = deliveries[index + 1] if index + 1 < len(deliveries) else None
                done = send_one(
                    delivery, prepared, connection, ledger, outcome, now,
                    reconnect=reconnect, upcoming=upcoming,
                )  # fmt: skip
                if not done:
                    channel.drop()
                if done is not None:
                    break
    finally:
        ledger.flush()
        if own:
            channel.drop()
    return outcome
