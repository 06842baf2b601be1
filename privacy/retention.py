"""The retention purge: records kept longer than settings.RETENTION_DAYS are removed, every
day, and the run says what it removed."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import Invitation, RoleAssignment, User
from audit.services import record
from circulars.models import Delivery, DeliveryStatus
from meetings.models import Participation, ParticipationStatus
from network.models import Person
from notifications.models import Event, Notification, NotificationMail

from .export import export_path
from .models import DataExport, PurgeRun


def _days(name: str) -> timedelta:
    return timedelta(days=settings.RETENTION_DAYS[name])


def expired(now=None) -> dict:
    """What has expired, as querysets keyed by what they are."""
    now = now or timezone.now()
    no_role = ~Exists(RoleAssignment.objects.filter(user=OuterRef("pk")))
    no_person = ~Exists(Person.objects.filter(user=OuterRef("pk")))
    return {
        "circular_deliveries": Delivery.objects.filter(
            status__in=[DeliveryStatus.SENT, DeliveryStatus.BOUNCED, DeliveryStatus.FAILED],
            updated_at__lt=now - _days("delivery_logs"),
        ),
        "expired_invitations": Invitation.objects.filter(accepted_at=None).filter(
            expires_at__lt=now - _days("expired_invitations")
        ),
        # Attendance is the meeting's record and stays; other registrations go.
        "past_meeting_registrations": Participation.objects.exclude(
            status=ParticipationStatus.ATTENDED
        ).filter(meeting__ends_at__lt=now - _days("past_meeting_registrations")),
        "unconfirmed_accounts": User.objects.filter(
            last_login=None,
            is_superuser=False,
            date_joined__lt=now - _days("unconfirmed_accounts"),
        )
        .filter(no_role)
        .filter(no_person),
        "notifications": Notification.objects.filter(
            created_at__lt=now - _days("notification_history")
        ),
        "notification_mails": NotificationMail.objects.filter(
            created_at__lt=now - _days("notification_history")
        ),
        "events": Event.objects.filter(created_at__lt=now - _days("notification_history")).filter(
            ~Exists(Notification.objects.filter(event=OuterRef("pk")))
        ),
        "data_exports": DataExport.objects.filter(expires_at__lt=now),
    }


def purge(now=None, *, dry_run: bool = False) -> dict[str, int]:
    """Remove what has expired; returns how many of each were (or would be) removed."""
    removed: dict[str, int] = {}
    for name, queryset in expired(now).items():
        if dry_run:
            removed[name] = queryset.count()
            continue
        if name == "data_exports":
            for export in queryset:
                export_path(export).unlink(missing_ok=True)
        with transaction.atomic():
            # Only the rows themselves are counted, not what cascades from them.
            removed[name] = queryset.delete()[1].get(queryset.model._meta.label, 0)
    if not dry_run:
        with transaction.atomic():
            run = PurgeRun.objects.create(removed=removed)
            record("privacy.retention.purged", run, after=removed)
    return removed
