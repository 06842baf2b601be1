"""Sending a circular: each recipient exactly once, even when the worker dies mid-run.

Every Delivery row goes through a small state machine, each step an UPDATE committed on
its own before the next network action:

    queued ──claim──▶ sending ──(SMTP DATA, before the content)──▶ handed ──250──▶ sent
       ▲                 │                                          │
       └── 4xx / before ─┘                                          └── 5xx ──▶ failed
           the content, with back-off

- A row is *claimed* (queued → sending, with a claim token and `claimed_at`) by one
  conditional UPDATE, so two workers never hold the same row. Only queued rows have a
  next attempt: the claim empties it, which takes the row out of the claim's index.
- Right before the message content is transmitted (once DATA is sent, while the server
  answers it), the row becomes `handed`, again conditionally on our claim. Until then nothing
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

from entrevilles.smtp import Channel, open_smtp

from .message import Renderer, sender_line
from .rows import (
    BATCH_SIZE,
    LEASE,
    MAX_ATTEMPTS,
    RETRY_DELAYS,
    claim_batch,
    fix_recipients,
    mark_handed,
    record_failure,
    record_sent,
    record_unconfirmed,
    recover_stale,
    retry_when_locked,
)
from .runs import POOL_START_SECONDS, finish_if_done, progress, run, run_batch
from .sending import Ledger, Outcome, send_batch, send_one
from .tokens import (
    UNSUBSCRIBE_MAX_AGE,
    UNSUBSCRIBE_SALT,
    read_unsubscribe_token,
    unsubscribe_token,
    unsubscribe_url,
)

__all__ = [
    "BATCH_SIZE",
    "LEASE",
    "MAX_ATTEMPTS",
    "POOL_START_SECONDS",
    "RETRY_DELAYS",
    "UNSUBSCRIBE_MAX_AGE",
    "UNSUBSCRIBE_SALT",
    "Channel",
    "Ledger",
    "Outcome",
    "Renderer",
    "claim_batch",
    "finish_if_done",
    "fix_recipients",
    "mark_handed",
    "open_smtp",
    "progress",
    "read_unsubscribe_token",
    "record_failure",
    "record_sent",
    "record_unconfirmed",
    "recover_stale",
    "retry_when_locked",
    "run",
    "run_batch",
    "send_batch",
    "send_one",
    "sender_line",
    "unsubscribe_token",
    "unsubscribe_url",
]
