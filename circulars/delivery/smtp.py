"""The SMTP client of the runs: it tells when a message's content has begun to leave."""

from __future__ import annotations

import smtplib
import ssl

from django.conf import settings

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


def _reply_text(code, reply) -> str:
    if isinstance(reply, bytes):
        reply = reply.decode("utf-8", "replace")
    return f"{code} {reply}".strip()


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


def _close(connection) -> None:
    try:
        connection.quit()
    except (smtplib.SMTPException, OSError):
        connection.close()
