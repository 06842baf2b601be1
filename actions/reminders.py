"""The daily reminder digest: each owner gets one e-mail listing their actions due soon or late.

Sent in each recipient's own language, at most once per address and day (ReminderDigest),
so running it twice the same day sends nothing more.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation

from accounts.models import Role, RoleAssignment
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
    roles = (
        RoleAssignment.objects.filter(user__is_active=True)
        .filter(
            Q(
                role=Role.REPRESENTATIVE,
                organisation_id__in=owner_ids(
                    Action.owner_organisations.through, "organisation_id"
                ),
            )
            | Q(
                role=Role.SECRETARIAT,
                commission_id__in=owner_ids(Action.owner_commissions.through, "commission_id"),
            )
        )
        .select_related("user")
        .order_by("pk")
    )
    for assignment in roles.iterator(chunk_size=2000):
        if assignment.role == Role.REPRESENTATIVE:
            owned = by_org.get(assignment.organisation_id, ())
        else:
            owned = by_commission.get(assignment.commission_id, ())
        user = assignment.user
        add(user.email, user.preferred_language, user.get_full_name(), owned)
    return recipients


@lru_cache(maxsize=1)
def _templates():
    """The digest's templates, compiled once for the whole run."""
    return (
        get_template("actions/email/reminder_subject.txt"),
        get_template("actions/email/reminder.txt"),
    )


def _message(recipient: Recipient, day: date) -> EmailMessage:
    actions = sorted(recipient.actions.values(), key=lambda a: (a.due_date, a.pk))
    language = recipient.language if recipient.language in settings.LANGUAGE_CODES else "en"
    subject_template, body_template = _templates()
    with translation.override(language):
        context = {
            "recipient": recipient,
            "late": [a for a in actions if a.due_date < day],
            "soon": [a for a in actions if a.due_date >= day],
            "day": day,
            "site_url": settings.SITE_URL,
            "dashboard_url": settings.SITE_URL + reverse("actions:dashboard"),
        }
        subject = subject_template.render(context).strip()
        body = body_template.render(context)
    return EmailMessage(subject=subject, body=body, to=[recipient.email])


def send_digests(day: date) -> int:
    """Send today's digests over one mail connection; returns how many were sent."""
    recipients = collect_recipients(day)
    already = set(ReminderDigest.objects.filter(day=day).values_list("email", flat=True))
    sent = 0
    connection = mailers.default
    with connection:
        for email, recipient in recipients.items():
            if email in already:
                continue
            try:
                with transaction.atomic():
                    ReminderDigest.objects.create(
                        email=email, day=day, action_count=len(recipient.actions)
                    )
                    # Sent inside the transaction: a failed send leaves no record, so the
                    # next run tries again; a record means the message went out.
                    connection.send_messages([_message(recipient, day)])
            except IntegrityError:
                continue  # another run sent it meanwhile
            sent += 1
    return sent
