"""Notification e-mails, built by the worker: one right after an event for those who want
it immediately, a daily and a weekly digest for the others.

Each e-mail is a row of the ledger (NotificationMail, unique per person and key) created
together with the marking of the notifications it carries, in the database, whatever the
number of people. Rows are then handed to the SMTP server over a small pool of
connections, each claiming batches of its own. Within a batch each row is marked "being
handed over" in a commit of its own after the server's 354 and before its content leaves,
and "sent" after (with the next row's commit): a run that stops halfway, even killed,
resumes with the rows still to send (claims of a dead worker expire) and sends nothing
twice; at most one row per connection is left "being handed over", perhaps delivered, and
is not sent again on its own.
"""

from __future__ import annotations

import contextlib
import smtplib
import threading
import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta
from email.utils import parseaddr
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import mailers
from django.db import connection, transaction
from django.db import connections as db_connections
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.permissions import remember_scopes
from entrevilles.smtp import envelope_command, send_content

from . import registry
from .models import (
    DEFAULT_FREQUENCY,
    Event,
    EventVisibility,
    Frequency,
    MailStatus,
    Notification,
    NotificationMail,
    Preference,
)
from .visibility import may_hear_of
from .writing import Writer, mail_language

BATCH_SIZE = 200


def _claim(key: str, frequency: str, **filters) -> int:
    """Give the key to the notifications not yet mailed that this frequency covers, and
    create the ledger's rows for it; returns how many notifications were taken.

    A person whose e-mail of this key has already gone keeps their new notifications for
    the next one.
    """
    preferences = Preference.objects.filter(user_id=OuterRef("user_id"), kind=OuterRef("kind"))
    gone = NotificationMail.objects.filter(
        user_id=OuterRef("user_id"), key=key, status__in=[MailStatus.SENDING, MailStatus.SENT]
    )
    with transaction.atomic():
        waiting = Notification.objects.filter(mail_key="", **filters)
        # Kinds the person does not want by e-mail are put aside for good.
        waiting.filter(Exists(preferences.filter(frequency=Frequency.NEVER))).update(
            mail_key=Frequency.NEVER
        )
        if frequency == DEFAULT_FREQUENCY:
            # The daily digest also takes what an immediate e-mail has not (a preference
            # changed since), so that nothing shown in the platform is left unmailed.
            covered = waiting.filter(
                ~Exists(preferences.filter(frequency__in=[Frequency.WEEKLY, Frequency.NEVER]))
            )
        else:
            covered = waiting.filter(Exists(preferences.filter(frequency=frequency)))
        taken = covered.filter(~Exists(gone)).update(mail_key=key)
        table, notifications = NotificationMail._meta.db_table, Notification._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (user_id, key, status, email, language, message_id, "  # noqa: S608 - table names and placeholders only
                "claim, created_at) "
                f"SELECT DISTINCT n.user_id, CAST(%s AS VARCHAR(40)), CAST(%s AS VARCHAR(10)), "
                f"'', '', '', '', %s FROM {notifications} n "
                "WHERE n.mail_key = %s ON CONFLICT DO NOTHING",
                [key, MailStatus.PENDING, timezone.now(), key],
            )
    return taken


# --- handing the e-mails to the SMTP server -----------------------------------------------------

# A row claimed by a worker that died is claimed again after this long. A live worker whose
# lease expired cannot send a row claimed again: each hand-over is conditional on its claim.
LEASE = timedelta(minutes=10)

# The pool's threads take turns for SQLite's one writer here rather than in its busy
# handler, which sleeps up to 100 ms between tries.
_SQLITE_WRITES = threading.Lock()


def _writing():
    return _SQLITE_WRITES if connection.vendor == "sqlite" else contextlib.nullcontext()


class _ClaimLost(Exception):
    """The row is no longer this worker's (its lease expired): its content must not leave."""


class _Unsure(Exception):
    """The connection failed after the content had left: the message may have arrived."""


class Ledger:
    """One worker's writes to the ledger, each conditional on its claim.

    A message is marked "being handed over" in a commit of its own right after the
    server's 354 and before its content leaves, together with what the previous messages
    came to (sent, nothing to send): one commit per message, and a worker killed at any
    moment leaves at most one row whose fate is unknown.
    """

    def __init__(self, token: str):
        self.token = token
        self.sent: list[tuple[int, str, str, str]] = []
        self.skipped: list[int] = []
        table = NotificationMail._meta.db_table
        self._sent_sql = (
            f"UPDATE {table} SET status = %s, email = %s, language = %s, "  # noqa: S608 - table name only
            "message_id = %s, sent_at = %s WHERE id = %s AND claim = %s"
        )
        self._status_sql = (
            f"UPDATE {table} SET status = %s WHERE id = %s AND claim = %s AND status = %s"  # noqa: S608 - table name only
        )
        # PostgreSQL: the whole commit in one statement (its data-modifying WITH clauses
        # run to completion whether or not the main statement reads them), in autocommit.
        self._postgresql_sql = (
            f"WITH sent AS (UPDATE {table} m SET status = %s, email = v.email, "  # noqa: S608 - table name only
            "language = v.language, message_id = v.message_id, sent_at = %s "
            "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[]) "
            "AS v(id, email, language, message_id) WHERE m.id = v.id AND m.claim = %s), "
            f"skipped AS (UPDATE {table} SET status = %s "
            "WHERE id = ANY(%s::bigint[]) AND claim = %s AND status = %s) "
            f"UPDATE {table} SET status = %s WHERE id = %s AND claim = %s AND status = %s"
        )

    def _write(self, cursor, placeholder: str = "%s") -> None:
        if self.sent:
            now = connection.ops.adapt_datetimefield_value(timezone.now())
            cursor.executemany(
                self._sent_sql.replace("%s", placeholder),
                [
                    (MailStatus.SENT.value, email, language, message_id, now, pk, self.token)
                    for pk, email, language, message_id in self.sent
                ],
            )
        if self.skipped:
            cursor.executemany(
                self._status_sql.replace("%s", placeholder),
                [
                    (MailStatus.SKIPPED.value, pk, self.token, MailStatus.PENDING.value)
                    for pk in self.skipped
                ],
            )

    def _written(self) -> None:
        """After the commit that wrote them: forgotten (kept until then, so that a failed
        commit leaves them to be written by the next one)."""
        self.sent, self.skipped = [], []

    def _sqlite_handed(self, mail: Claimed) -> bool:
        """The same transaction on SQLite's own connection: BEGIN, the updates, COMMIT,
        without the framework's savepoint and cursor layers (a good part of a message's
        cost)."""
        connection.ensure_connection()
        raw = connection.connection
        with _SQLITE_WRITES, connection.wrap_database_errors:
            raw.execute("BEGIN IMMEDIATE")
            try:
                self._write(raw, "?")
                handed = raw.execute(
                    self._status_sql.replace("%s", "?"),
                    (MailStatus.SENDING.value, mail.pk, self.token, MailStatus.PENDING.value),
                ).rowcount
                raw.execute("COMMIT")
            except BaseException:
                if raw.in_transaction:
                    raw.execute("ROLLBACK")
                raise
        self._written()
        return handed == 1

    def _postgresql_handed(self, mail: Claimed) -> bool:
        """The same transaction on PostgreSQL as one statement: one round trip to the
        server a message instead of four."""
        sent = list(zip(*self.sent, strict=True)) or [(), (), (), ()]
        pending = MailStatus.PENDING.value
        with connection.cursor() as cursor:
            cursor.execute(
                self._postgresql_sql,
                [
                    MailStatus.SENT.value,
                    timezone.now(),
                    *(list(column) for column in sent),
                    self.token,
                    MailStatus.SKIPPED.value,
                    self.skipped,
                    self.token,
                    pending,
                    MailStatus.SENDING.value,
                    mail.pk,
                    self.token,
                    pending,
                ],
            )
            handed = cursor.rowcount == 1
        self._written()
        return handed

    def handed(self, mail: Claimed) -> bool:
        """Record what came before and mark `mail` as being handed over, in one commit;
        False if the row is no longer ours."""
        if not connection.in_atomic_block and connection.get_autocommit():
            if connection.vendor == "sqlite":
                return self._sqlite_handed(mail)
            if connection.vendor == "postgresql":
                return self._postgresql_handed(mail)
        with _writing(), transaction.atomic(), connection.cursor() as cursor:
            self._write(cursor)
            cursor.execute(
                self._status_sql, [MailStatus.SENDING, mail.pk, self.token, MailStatus.PENDING]
            )
            handed = cursor.rowcount == 1
        self._written()
        return handed

    def flush(self) -> None:
        if self.sent or self.skipped:
            with _writing(), transaction.atomic(), connection.cursor() as cursor:
                self._write(cursor)
            self._written()

    def give_back(self, mails: list[Claimed]) -> None:
        """Rows of which nothing was delivered go back to the queue, for any worker."""
        if mails:
            with _writing(), transaction.atomic():
                NotificationMail.objects.filter(
                    pk__in=[m.pk for m in mails],
                    claim=self.token,
                    status__in=[MailStatus.PENDING, MailStatus.SENDING],
                ).update(status=MailStatus.PENDING, claim="", claimed_at=None)


class Claimed(NamedTuple):
    """A ledger row claimed for sending, with what its e-mail needs of the person."""

    pk: int
    user_id: int
    email: str
    first_name: str
    last_name: str
    is_active: bool
    preferred_language: str

    @property
    def name(self) -> str:
        """The person's full name, as `User.get_full_name` gives it."""
        return f"{self.first_name} {self.last_name}".strip()


class Item(NamedTuple):
    """A notification as an e-mail carries it."""

    pk: int
    kind: str
    created_at: datetime
    event: Event


def _claim_batch(key: str, token: str, size: int) -> list[Claimed]:
    """Claim up to `size` pending rows of this key for the worker holding `token`.

    On SQLite the rows are read back while the pool's threads still wait their turn: with
    a shared cache (the tests' database) a thread reading the ledger would make another's
    write of it fail at once ("table is locked") rather than wait."""
    with _writing():
        with transaction.atomic():
            ids = list(
                NotificationMail.objects.select_for_update(skip_locked=True)
                .filter(key=key, status=MailStatus.PENDING, claim="")
                .order_by("pk")
                .values_list("pk", flat=True)[:size]
            )
            if not ids:
                return []
            NotificationMail.objects.filter(pk__in=ids).update(
                claim=token, claimed_at=timezone.now()
            )
        return [
            Claimed(*row)
            for row in NotificationMail.objects.filter(pk__in=ids, claim=token)
            .order_by("pk")
            .values_list(
                "pk",
                "user_id",
                "user__email",
                "user__first_name",
                "user__last_name",
                "user__is_active",
                "user__preferred_language",
            )
        ]


def _recover_stale(key: str) -> None:
    """Rows claimed by a worker that died go back to the queue once their lease expired."""
    with _writing(), transaction.atomic():
        NotificationMail.objects.filter(
            key=key, status=MailStatus.PENDING, claimed_at__lt=timezone.now() - LEASE
        ).exclude(claim="").update(claim="", claimed_at=None)


def _hand_over(
    smtp: smtplib.SMTP, sender: str, mail: Claimed, content: bytes, ledger: Ledger
) -> None:
    """One SMTP transaction, the row marked as being handed over between the server's 354
    and the content. Raises _ClaimLost, _Unsure (the content left, the reply did not
    come), or another error when nothing was delivered."""
    smtp.ehlo_or_helo_if_needed()
    code, reply = envelope_command(smtp, "mail", "FROM:", sender)
    if code != 250:
        smtp.rset()
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    code, reply = envelope_command(smtp, "rcpt", "TO:", mail.email)
    if code not in (250, 251):
        smtp.rset()
        raise smtplib.SMTPRecipientsRefused({mail.email: (code, reply)})
    smtp.putcmd("data")
    code, reply = smtp.getreply()
    if code != 354:
        raise smtplib.SMTPDataError(code, reply)
    if not ledger.handed(mail):
        # Mid-DATA the only way to abort is to drop the connection: a transaction not
        # ended by "." delivers nothing (RFC 5321 §4.1.1.4).
        smtp.close()
        raise _ClaimLost
    try:
        send_content(smtp, content)
        code, reply = smtp.getreply()
    except (OSError, smtplib.SMTPException) as error:
        raise _Unsure from error
    if code != 250:
        # A refusal after the content: nothing was delivered.
        raise smtplib.SMTPDataError(code, reply)


def _notifications_by_user(key: str, batch: list[Claimed]) -> dict[int, list[Item]]:
    by_user: dict[int, list[Item]] = defaultdict(list)
    # Plain rows, and each event read once: a batch's people share a few events.
    rows = list(
        Notification.objects.filter(user_id__in=[m.user_id for m in batch], mail_key=key)
        .order_by("pk")
        .values_list("pk", "user_id", "event_id", "kind", "created_at")
    )
    events = Event.objects.in_bulk({row[2] for row in rows})
    for pk, user_id, event_id, kind, created_at in rows:
        by_user[user_id].append(Item(pk, kind, created_at, events[event_id]))
    return by_user


def _users_to_ask(batch: list[Claimed], by_user: dict[int, list[Item]]) -> dict:
    """The accounts of the batch's people who have notifications of events only some may
    see, with their directory entry (being a member of the network is part of who may hear
    of members-only events) and their roles, read at once: the permission rules asked
    for them then need no query of their own."""
    ids = [
        mail.user_id
        for mail in batch
        if any(n.event.visibility != EventVisibility.PUBLIC for n in by_user.get(mail.user_id, ()))
    ]
    if not ids:
        return {}
    users = get_user_model().objects.select_related("person").in_bulk(ids)
    remember_scopes(users.values())
    return users


def _send_batch(key: str, batch: list[Claimed], ledger: Ledger, mailer, writers: dict) -> int:
    by_user = _notifications_by_user(key, batch)
    accounts = _users_to_ask(batch, by_user)
    # Addresses known to bounce (the circulars' suppression list, registered) are not
    # mailed: their notifications stay in the platform's list.
    bouncing = registry.suppressed_among([m.email.lower() for m in batch])
    envelope_from = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    smtp = getattr(mailer, "connection", None)
    sent = 0
    for index, mail in enumerate(batch):
        if not mail.is_active or not mail.email or mail.email.lower() in bouncing:
            ledger.skipped.append(mail.pk)
            continue
        notifications = [
            n
            for n in by_user.get(mail.user_id, [])
            # The owning app's rules, asked again now for what only some may see.
            if n.event.visibility == EventVisibility.PUBLIC
            or may_hear_of(accounts.get(mail.user_id), n.event)
        ]
        if not notifications:
            ledger.skipped.append(mail.pk)
            continue
        language = mail_language(mail.preferred_language)
        try:
            writer = writers.get(language) or writers.setdefault(language, Writer(language))
            message = writer.message(mail.user_id, mail.name, mail.email, notifications)
            if isinstance(smtp, smtplib.SMTP):
                # The addresses come from validated accounts: the bytes go straight out.
                _hand_over(smtp, envelope_from, mail, message.wire_bytes(), ledger)
            elif ledger.handed(mail):
                mailer.send_messages([message])
            else:
                raise _ClaimLost
        except smtplib.SMTPRecipientsRefused as error:
            code = next(iter(error.recipients.values()))[0]
            if not 500 <= code < 600:
                ledger.flush()
                ledger.give_back(batch[index:])
                raise
            # The relay refuses this address for good: nothing left, and the notifications
            # stay in the platform's list; the others' digests go on.
            ledger.skipped.append(mail.pk)
            continue
        except _Unsure:
            # Perhaps delivered: the row stays "being handed over", never sent again.
            ledger.flush()
            ledger.give_back(batch[index + 1 :])
            raise
        except BaseException:
            ledger.flush()
            ledger.give_back(batch[index:])
            raise
        message_id = message.extra_headers["Message-ID"].strip("<>")
        ledger.sent.append((mail.pk, mail.email, language, message_id))
        sent += 1
    ledger.flush()
    return sent


def _send_until_done(key: str, size: int) -> int:
    """One member of the pool: its own claim token and SMTP connection, batch after
    batch, until nothing is left to claim."""
    ledger = Ledger(uuid.uuid4().hex)
    writers: dict[str, Writer] = {}
    sent = 0
    with mailers.default as mailer:
        try:
            while batch := _claim_batch(key, ledger.token, size):
                sent += _send_batch(key, batch, ledger, mailer, writers)
        except _ClaimLost:
            # Another worker took our rows over after our lease expired: they are its now.
            pass
    return sent


def send_key(key: str, connections: int | None = None) -> int:
    """Hand every pending e-mail of this key to the SMTP server; returns how many left.

    The e-mails go over `connections` SMTP connections (settings.NOTIFICATIONS_SMTP_CONNECTIONS
    by default), each in a thread that claims batches of its own: to the ledger each is one
    more worker. Inside a caller's transaction the other threads could not see its rows:
    the run then uses one connection, its own.
    """
    _recover_stale(key)
    due = NotificationMail.objects.filter(key=key, status=MailStatus.PENDING, claim="").count()
    if not due:
        return 0
    connections = max(1, min(due, connections or settings.NOTIFICATIONS_SMTP_CONNECTIONS))
    if connection.in_atomic_block:
        connections = 1
    # A small key is shared among the connections rather than claimed by the first.
    size = max(1, min(BATCH_SIZE, -(-due // connections)))
    if connections == 1:
        return _send_until_done(key, size)
    counts: list[int] = []
    errors: list[BaseException] = []

    def member() -> None:
        try:
            counts.append(_send_until_done(key, size))
        except BaseException as error:  # re-raised by the run, in its own thread
            errors.append(error)
        finally:
            # Each thread has database connections of its own; nobody else will close them.
            db_connections.close_all()

    threads = [
        threading.Thread(target=member, name=f"notifications-{key}-smtp-{n}")
        for n in range(connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return sum(counts)


def resume_unfinished(but: str = "") -> int:
    """Send what earlier runs left pending (a relay that failed, a worker that died): their
    notifications were given to those e-mails and would otherwise never be mailed."""
    keys = (
        NotificationMail.objects.filter(status=MailStatus.PENDING)
        .exclude(key=but)
        .values_list("key", flat=True)
        .distinct()
        .order_by("key")
    )
    return sum(send_key(key) for key in list(keys))


def send_event_mails(event_id: int) -> int:
    """The e-mails of those who want this event's kind immediately."""
    key = f"event:{event_id}"
    _claim(key, Frequency.IMMEDIATELY, event_id=event_id)
    return send_key(key)


def send_digests(
    day: date, frequency: str = Frequency.DAILY, *, connections: int | None = None
) -> int:
    """The daily (or weekly) digests of `day`: everything not yet mailed to each person
    whose preference for its kind is that frequency. E-mails an earlier run left unsent
    go first."""
    key = f"{frequency}:{day.isoformat()}"
    earlier = resume_unfinished(but=key)
    _claim(key, frequency)
    return earlier + send_key(key, connections)
