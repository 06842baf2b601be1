"""The daily reminder digest: each owner gets one e-mail listing their actions due soon or late.

Sent in each recipient's own language, at most once per address and day (ReminderDigest),
so running it twice the same day sends nothing more.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import Role, RoleAssignment

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
        .prefetch_related("owner_people", "owner_organisations", "owner_commissions")
        .order_by("due_date", "id")
    )


def collect_recipients(day: date) -> dict[str, Recipient]:
    """Everyone to remind and of what: owner people, organisations' representatives and
    owner commissions' secretariats."""
    recipients: dict[str, Recipient] = {}
    by_org: dict[int, list[Action]] = defaultdict(list)
    by_commission: dict[int, list[Action]] = defaultdict(list)

    def add(email: str, language: str, name: str, action: Action) -> None:
        email = email.strip().lower()
        if not email:
            return
        recipient = recipients.setdefault(email, Recipient(email, language, name))
        recipient.actions[action.pk] = action

    for action in actions_to_remind(day).iterator(chunk_size=2000):
        for person in action.owner_people.all():
            add(person.email, person.preferred_language, person.full_name, action)
        for org in action.owner_organisations.all():
            by_org[org.pk].append(action)
        for commission in action.owner_commissions.all():
            by_commission[commission.pk].append(action)
    roles = RoleAssignment.objects.filter(
        role__in=[Role.REPRESENTATIVE, Role.SECRETARIAT], user__is_active=True
    ).select_related("user")
    for assignment in roles.iterator(chunk_size=2000):
        if assignment.role == Role.REPRESENTATIVE:
            actions = by_org.get(assignment.organisation_id, ())
        else:
            actions = by_commission.get(assignment.commission_id, ())
        for action in actions:
            user = assignment.user
            add(user.email, user.preferred_language, user.get_full_name(), action)
    return recipients


def _message(recipient: Recipient, day: date, connection) -> EmailMessage:
    actions = sorted(recipient.actions.values(), key=lambda a: (a.due_date, a.pk))
    language = recipient.language if recipient.language in settings.LANGUAGE_CODES else "en"
    with translation.override(language):
        context = {
            "recipient": recipient,
            "late": [a for a in actions if a.due_date < day],
            "soon": [a for a in actions if a.due_date >= day],
            "day": day,
            "site_url": settings.SITE_URL,
            "dashboard_url": settings.SITE_URL + reverse("actions:dashboard"),
        }
        subject = render_to_string("actions/email/reminder_subject.txt", context).strip()
        body = render_to_string("actions/email/reminder.txt", context)
    return EmailMessage(subject=subject, body=body, to=[recipient.email], connection=connection)


def send_digests(day: date) -> int:
    """Send today's digests; returns how many were sent."""
    recipients = collect_recipients(day)
    already = set(ReminderDigest.objects.filter(day=day).values_list("email", flat=True))
    sent = 0
    connection = get_connection()
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
                    _message(recipient, day, connection).send()
            except IntegrityError:
                continue  # another run sent it meanwhile
            sent += 1
    return sent
