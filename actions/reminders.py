"""The daily reminder digest: each owner gets one e-mail listing their actions due soon or late.

Sent in each recipient's own language, at most once per address and day (ReminderDigest),
so running it twice the same day sends nothing more.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.charset import QP, Charset
from email.header import Header
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import formatdate, make_msgid

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.core.mail.utils import DNS_NAME
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.recipients import readers_for
from entrevilles.dates import format_date
from network.models import Person

from .models import Action, ReminderDigest

# Owners hear about an action from this many days before its due date, and every day after.
DAYS_BEFORE = 7


@dataclass
class Recipient:
    email: str
    language: str
    name: str = ""
    actions: dict[int, Action] = field(default_factory=dict)


def actions_to_remind(day: date):
    return (
        Action.objects.open()
        .filter(due_date__lte=day + timedelta(days=DAYS_BEFORE))
        .only("title", "title_en", "title_fr", "title_es", "due_date", "progress")
        .order_by("due_date", "id")
    )


def collect_recipients(day: date) -> dict[str, Recipient]:
    """Everyone to remind and of what: owner people, organisations' representatives and
    owner commissions' secretariats.

    A fixed number of queries whatever the number of actions: the due actions, then each
    owner table for those actions, then the people and role assignments concerned.
    """
    recipients: dict[str, Recipient] = {}
    due = actions_to_remind(day)
    actions = {action.pk: action for action in due.iterator(chunk_size=5000)}
    due_ids = due.values("pk")

    def owners(through, column: str) -> dict[int, list[Action]]:
        found: dict[int, list[Action]] = defaultdict(list)
        rows = through.objects.filter(action_id__in=due_ids).values_list("action_id", column)
        for action_id, owner_id in rows.iterator(chunk_size=5000):
            found[owner_id].append(actions[action_id])
        return found

    by_person = owners(Action.owner_people.through, "person_id")
    by_org = owners(Action.owner_organisations.through, "organisation_id")
    by_commission = owners(Action.owner_commissions.through, "commission_id")

    def add(email: str, language: str, name: str, owned: list[Action]) -> None:
        email = email.strip().lower()
        if not email:
            return
        recipient = recipients.setdefault(email, Recipient(email, language, name))
        for action in owned:
            recipient.actions[action.pk] = action

    def owner_ids(through, column: str):
        return through.objects.filter(action_id__in=due_ids).values(column)

    people = Person.objects.filter(pk__in=owner_ids(Action.owner_people.through, "person_id")).only(
        "email", "preferred_language", "first_name", "last_name"
    )
    for person in people.order_by("pk").iterator(chunk_size=5000):
        add(person.email, person.preferred_language, person.full_name, by_person[person.pk])
    readers = readers_for(
        organisations=owner_ids(Action.owner_organisations.through, "organisation_id"),
        commissions=owner_ids(Action.owner_commissions.through, "commission_id"),
    )
    for (kind, owner_id), group in readers.items():
        owned = (by_org if kind == "organisation" else by_commission).get(owner_id, ())
        for reader in group:
            add(reader.email, reader.language, reader.name, owned)
    return recipients


class DigestMessage(EmailMessage):
    """A plain-text message built with the compat32 e-mail policy.

    Django builds messages with the modern policy, which parses every header it sets: for
    ten thousand digests that parsing took most of the run. These messages only carry a
    text body, so the simpler policy builds the same message (headers encoded per RFC 2047).
    """

    def message(self, *, policy=None):
        charset = Charset("utf-8")
        charset.body_encoding = QP
        msg = MIMEText(self.body, "plain", charset, policy=MESSAGE_POLICY)
        msg["Subject"] = _header(self.subject)
        msg["From"] = _header(self.from_email)
        msg["To"] = _header(", ".join(self.to))
        msg["Date"] = formatdate(localtime=settings.EMAIL_USE_LOCALTIME)
        msg["Message-ID"] = make_msgid(domain=DNS_NAME)
        return msg


MESSAGE_POLICY = compat32.clone(linesep="\r\n")


def _header(value: str):
    return value if value.isascii() else Header(value, "utf-8")


class Digest:
    """The digest's text in one language, written while that language is active. Each
    action's lines are written once and shared by every recipient who owns it."""

    def __init__(self, day: date):
        self.day = day
        self.lines: dict[int, str] = {}
        self.dates: dict[date, str] = {}
        self.late = _("Late")
        self.soon = _("Due soon")
        self.intro = _(
            "Here are the actions of the action plan that you own and that need attention."
        )
        self.colleague = _("Dear colleague,")
        self.dear = _("Dear %(name)s,")
        self.due = _("due %(date)s, %(progress)s%% done")
        self.outro = _("Post an update on each action's page, or see all of them:")
        self.dashboard = settings.SITE_URL + reverse("actions:dashboard")
        self.detail_prefix = settings.SITE_URL + reverse("actions:detail", args=[0])[:-2]

    def _line(self, action: Action) -> str:
        line = self.lines.get(action.pk)
        if line is None:
            when = self.dates.get(action.due_date)
            if when is None:
                when = self.dates[action.due_date] = format_date(action.due_date, "DATE_FORMAT")
            due = self.due % {"date": when, "progress": action.progress}
            line = self.lines[action.pk] = (
                f"- {action.title} ({due})\n  {self.detail_prefix}{action.pk}/\n"
            )
        return line

    def message(self, recipient: Recipient) -> EmailMessage:
        actions = sorted(recipient.actions.values(), key=lambda a: (a.due_date, a.pk))
        subject = ngettext(
            "Entrevilles: %(counter)s action to follow up",
            "Entrevilles: %(counter)s actions to follow up",
            len(actions),
        ) % {"counter": len(actions)}
        greeting = self.dear % {"name": recipient.name} if recipient.name else self.colleague
        late = [a for a in actions if a.due_date < self.day]
        soon = [a for a in actions if a.due_date >= self.day]
        parts = [greeting, "\n\n", self.intro, "\n"]
        if late:
            parts += ["\n", self.late, ":\n", *(self._line(a) for a in late)]
        if soon:
            parts += ["\n", self.soon, ":\n", *(self._line(a) for a in soon)]
        parts += ["\n", self.outro, " ", self.dashboard, "\n"]
        return DigestMessage(subject=subject, body="".join(parts), to=[recipient.email])


# Digests recorded and sent together in one transaction.
BATCH_SIZE = 200


def _send_batch(connection, batch: list[Recipient], digest: Digest, day: date) -> int:
    """Record then send a batch; if the send fails nothing is recorded and the next run
    sends the batch again (a message that left before the failure may then arrive twice).
    """
    messages = [digest.message(recipient) for recipient in batch]
    try:
        with transaction.atomic():
            ReminderDigest.objects.bulk_create(
                ReminderDigest(email=r.email, day=day, action_count=len(r.actions)) for r in batch
            )
            connection.send_messages(messages)
        return len(batch)
    except IntegrityError:
        pass
    # Another run recorded some of these meanwhile: one by one, skipping those.
    sent = 0
    for recipient, message in zip(batch, messages, strict=True):
        try:
            with transaction.atomic():
                ReminderDigest.objects.create(
                    email=recipient.email, day=day, action_count=len(recipient.actions)
                )
                connection.send_messages([message])
        except IntegrityError:
            continue
        sent += 1
    return sent


def send_digests(day: date) -> int:
    """Send today's digests over one mail connection; returns how many were sent.

    A digest is recorded (ReminderDigest) in the transaction that sends it: a record means
    the message went out, and a run repeated the same day sends nothing more.
    """
    recipients = collect_recipients(day)
    already = set(ReminderDigest.objects.filter(day=day).values_list("email", flat=True))
    by_language: dict[str, list[Recipient]] = defaultdict(list)
    for email, recipient in recipients.items():
        if email not in already:
            language = recipient.language
            by_language[language if language in settings.LANGUAGE_CODES else "en"].append(recipient)
    sent = 0
    connection = mailers.default
    with connection:
        for language, group in by_language.items():
            with translation.override(language):
                digest = Digest(day)
                for start in range(0, len(group), BATCH_SIZE):
                    sent += _send_batch(connection, group[start : start + BATCH_SIZE], digest, day)
    return sent
