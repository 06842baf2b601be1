"""The SMTP client of the platform's mailing runs (circulars, notification e-mails): the
pieces of an SMTP transaction they share, and a client that tells when a message's
content has begun to leave."""

from __future__ import annotations

import smtplib
import socket
import ssl
import struct
import sys

from django.conf import settings


def envelope_command(smtp: smtplib.SMTP, command: str, prefix: str, address: str):
    """MAIL FROM or RCPT TO for an address already validated. smtplib's `mail` and `rcpt`
    parse each address again (RFC 2822, a fifth of a message's CPU time); a plain ASCII
    address without brackets, quotes or spaces goes out as it is."""
    if address and address.isascii() and not any(c in address for c in '<>" \r\n'):
        smtp.putcmd(command, f"{prefix}<{address}>")
        return smtp.getreply()
    return smtp.mail(address) if command == "mail" else smtp.rcpt(address)


def send_content(smtp: smtplib.SMTP, content: bytes) -> None:
    """A message's content after the server's 354, dot-stuffed and ended by "."."""
    # smtplib's own dot-stuffing, where a line begins with "." (a search costs a tenth of
    # the substitution, and a composed message rarely has one).
    if content.startswith(b".") or b"\n." in content:
        quoted = smtplib._quote_periods(content)  # noqa: SLF001
    else:
        quoted = content
    if quoted[-2:] != smtplib.bCRLF:
        quoted += smtplib.bCRLF
    smtp.send(quoted + b"." + smtplib.bCRLF)


class SMTP(smtplib.SMTP):
    """smtplib's client, telling when the content of a message is about to leave.

    `data()` calls `before_content` once DATA is sent, while the server answers it (the
    caller's commit then costs no round trip of its own; a failure before it is a plain
    failure: nothing was transmitted), sets `content_sent` once the final "." went out (a
    failure after that is the ambiguous case), and calls `after_content` while the server
    answers the content (the caller's next message is made ready then).
    """

    before_content = None
    after_content = None
    content_sent = False

    def envelope_command(self, command: str, prefix: str, address: str):
        return envelope_command(self, command, prefix, address)

    def data(self, msg):
        self.content_sent = False
        self.putcmd("data")
        if self.before_content is not None and not self.before_content():
            # Our claim was lost (lease expired, row recovered). Mid-DATA the only way to
            # abort is to drop the connection: a transaction not ended by "." delivers
            # nothing.
            self.close()
            raise ClaimLost
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        send_content(self, msg)
        self.content_sent = True
        if self.after_content is not None:
            self.after_content()
        return self.getreply()


class SMTPS(SMTP, smtplib.SMTP_SSL):
    pass


class ClaimLost(Exception):
    """The row being sent was claimed by another worker (its lease expired)."""


def open_smtp() -> SMTP:
    """A connection to the configured relay (settings.MAILERS["default"]["OPTIONS"])."""
    options = settings.MAILERS["default"].get("OPTIONS", {})
    host = options.get("host", "127.0.0.1")
    port = options.get("port", 25)
    timeout = options.get("timeout") or 30
    if options.get("use_ssl"):
        connection = SMTPS(host, port, timeout=timeout)
    else:
        connection = SMTP(host, port, timeout=timeout)
    connection.ehlo()
    if options.get("use_tls"):
        connection.starttls(context=ssl.create_default_context())
        connection.ehlo()
    if options.get("username"):
        connection.login(options["username"], options.get("password") or "")
    if not options.get("use_ssl") and not options.get("use_tls"):
        _timeouts_kept_by_the_kernel(connection, timeout)
    return connection


def _timeouts_kept_by_the_kernel(connection: smtplib.SMTP, seconds: float) -> None:
    """The connection's timeout kept by the system (SO_RCVTIMEO, SO_SNDTIMEO) rather than
    by Python, which polls the socket before each send and each receive: two system calls
    a command instead of four, for each of the four commands of a message. A relay silent
    for that long still ends the read, and the connection is then treated as lost."""
    if not sys.platform.startswith("linux") or connection.sock is None:
        return
    whole = int(seconds)
    interval = struct.pack("ll", whole, int((seconds - whole) * 1_000_000))
    connection.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, interval)
    connection.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, interval)
    connection.sock.settimeout(None)


def reply_text(code, reply) -> str:
    if isinstance(reply, bytes):
        reply = reply.decode("utf-8", "replace")
    return f"{code} {reply}".strip()


class Channel:
    """One SMTP connection of the pool: opened when first needed, kept open from batch
    to batch, and opened again when it breaks."""

    def __init__(self):
        self.connection: SMTP | None = None

    def open(self) -> SMTP:
        if self.connection is None:
            self.connection = open_smtp()
        return self.connection

    def drop(self) -> None:
        if self.connection is not None:
            close_quietly(self.connection)
            self.connection = None


def close_quietly(connection) -> None:
    try:
        connection.quit()
    except (smtplib.SMTPException, OSError):
        connection.close()
