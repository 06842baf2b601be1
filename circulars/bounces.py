"""Reading bounces: delivery status notifications (RFC 3464) from a maildir or an mbox.

A DSN is a multipart/report (report-type=delivery-status) whose message/delivery-status
part has one block of fields per recipient: Final-Recipient, Action, Status and the
remote server's Diagnostic-Code. Every recipient whose Action is "failed" bounced: the
address is suppressed and, when the returned message (or its headers) carries one of our
Message-IDs, that delivery is marked bounced. Delays ("delayed") and successes are left.
"""

from __future__ import annotations

import email
import email.policy
import mailbox
import re
from dataclasses import dataclass, field
from email.message import Message
from email.parser import HeaderParser
from pathlib import Path

_MESSAGE_ID = re.compile(r"<circular-(\d+)\.delivery-(\d+)@[^>]*>")


@dataclass
class Bounce:
    email: str
    status: str = ""
    diagnostic: str = ""
    message_id: str = ""

    @property
    def detail(self) -> str:
        return " ".join(part for part in (self.status, self.diagnostic) if part)[:500]

    def delivery_ids(self) -> tuple[int, int] | None:
        """(circular id, delivery id) if the bounced message was one of ours."""
        match = _MESSAGE_ID.search(self.message_id or "")
        return (int(match.group(1)), int(match.group(2))) if match else None


@dataclass
class Report:
    read: int = 0
    reports: int = 0
    bounces: list[Bounce] = field(default_factory=list)


def _address(value: str) -> str:
    """ "rfc822; Someone@Example.org" → "someone@example.org"."""
    value = str(value or "").strip()
    if ";" in value:
        value = value.split(";", 1)[1]
    return value.strip().strip("<>").strip().lower()


def _one_line(value) -> str:
    return " ".join(str(value or "").split())


def _returned_message_id(report: Message) -> str:
    for part in report.walk():
        content_type = part.get_content_type()
        if content_type == "message/rfc822":
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else None
            if inner is not None and inner.get("Message-ID"):
                return _one_line(inner["Message-ID"])
        elif content_type == "text/rfc822-headers":
            raw = part.get_payload(decode=True) or b""
            headers = HeaderParser().parsestr(raw.decode("utf-8", "replace"))
            if headers.get("Message-ID"):
                return _one_line(headers["Message-ID"])
    return ""


def read_dsn(message: Message) -> list[Bounce] | None:
    """The failed recipients of one DSN; None if the message is not a DSN."""
    if message.get_content_type() != "multipart/report":
        return None
    if (message.get_param("report-type") or "").lower() != "delivery-status":
        return None
    status_part = next(
        (p for p in message.walk() if p.get_content_type() == "message/delivery-status"), None
    )
    if status_part is None:
        return None
    blocks = status_part.get_payload()
    if not isinstance(blocks, list):  # an unparsed body: parse its blocks ourselves
        text = str(blocks).replace("\r\n", "\n")
        blocks = [HeaderParser().parsestr(chunk) for chunk in re.split(r"\n\s*\n", text)]
    message_id = _returned_message_id(message)
    bounces = []
    # The first block is about the message; the others, one per recipient.
    for block in blocks[1:]:
        if _one_line(block.get("Action")).lower() != "failed":
            continue
        address = _address(block.get("Final-Recipient") or block.get("Original-Recipient"))
        if "@" not in address:
            continue
        bounces.append(
            Bounce(
                email=address,
                status=_one_line(block.get("Status")),
                diagnostic=_one_line(block.get("Diagnostic-Code")).removeprefix("smtp;").strip(),
                message_id=message_id,
            )
        )
    return bounces


def read_mailbox(path: str | Path) -> Report:
    """Every DSN of a maildir (a folder with cur/ and new/) or an mbox file."""
    path = Path(path)
    factory = lambda f: email.message_from_binary_file(f, policy=email.policy.compat32)  # noqa: E731
    if path.is_dir():
        box = mailbox.Maildir(path, factory=factory, create=False)
    else:
        box = mailbox.mbox(path, factory=factory, create=False)
    report = Report()
    try:
        for message in box:
            report.read += 1
            bounces = read_dsn(message)
            if bounces is None:
                continue
            report.reports += 1
            report.bounces.extend(bounces)
    finally:
        box.close()
    return report
