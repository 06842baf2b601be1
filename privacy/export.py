"""The archive of "Download my data": every record the platform holds about a person, as
one JSON document and one CSV file per section, zipped, built by the worker."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import RoleAssignment
from audit.models import AuditEntry
from circulars.models import Delivery
from entrevilles.dates import format_date
from learning.models import LearningNeed, MonitoringReport
from meetings.models import Participation
from notifications.models import Follow, Notification, Preference
from notifications.writing import describe

from .models import DataExport, ExportStatus


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool, list, dict)):
        return value
    return str(value)


def _rows(queryset, fields: list[str]) -> list[dict]:
    return [
        {field: _value(value) for field, value in zip(fields, row, strict=True)}
        for row in queryset.values_list(*fields)
    ]


def collect(user) -> dict[str, list[dict]]:
    """Everything about `user`, section by section."""
    person = getattr(user, "person", None)
    profile = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "preferred_language": user.preferred_language,
        "date_joined": _value(user.date_joined),
        "last_login": _value(user.last_login),
    }
    if person is not None:
        profile |= {
            "directory_first_name": person.first_name,
            "directory_last_name": person.last_name,
            "position": person.position,
            "directory_email": person.email,
            "phone": person.phone,
            "organisation": str(person.organisation) if person.organisation_id else "",
            "contact_visibility": person.contact_visibility,
        }
    emails = {user.email.lower()} | ({person.email.lower()} if person and person.email else set())
    audit_about = Q(actor=user) | Q(object_type="accounts.user", object_id=str(user.pk))
    if person is not None:
        audit_about |= Q(object_type="network.person", object_id=str(person.pk))
    notifications = Notification.objects.filter(user=user).select_related("event")
    return {
        "profile": [profile],
        "roles": _rows(
            RoleAssignment.objects.filter(user=user),
            ["role", "commission__name", "organisation__name", "granted_at"],
        ),
        "registrations": _rows(
            Participation.objects.filter(person=person) if person else Participation.objects.none(),
            ["meeting_id", "meeting__title", "status", "registered_at"],
        ),
        "learning_needs": _rows(
            LearningNeed.objects.filter(created_by=user),
            ["id", "title", "city__name", "status", "visibility", "created_at"],
        ),
        "monitoring_reports": _rows(
            MonitoringReport.objects.filter(author=user),
            ["id", "partnership__title", "organisation__name", "status"],
        ),
        "follows": _rows(
            Follow.objects.filter(user=user),
            ["target_type", "target_id", "automatic", "active", "created_at"],
        ),
        "notification_preferences": _rows(
            Preference.objects.filter(user=user), ["kind", "frequency"]
        ),
        "notifications": [
            {
                "kind": n.kind,
                "text": describe(n.event, user.preferred_language),
                "created_at": _value(n.created_at),
                "read_at": _value(n.read_at),
            }
            for n in notifications
        ],
        "circular_deliveries": _rows(
            Delivery.objects.filter(
                Q(email__in=emails) | Q(person=person) if person else Q(email__in=emails)
            ),
            ["circular_id", "circular__subject", "email", "language", "status", "sent_at"],
        ),
        "audit_entries": _rows(
            AuditEntry.objects.filter(audit_about),
            ["at", "action", "object_type", "object_id", "object_repr"],
        ),
    }


def archive_bytes(data: dict[str, list[dict]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        for section, rows in data.items():
            text = io.StringIO()
            fields = list(dict.fromkeys(key for row in rows for key in row)) or ["empty"]
            writer = csv.DictWriter(text, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
            archive.writestr(f"{section}.csv", text.getvalue())
    return buffer.getvalue()


def export_path(export: DataExport) -> Path:
    return Path(settings.MEDIA_ROOT) / "privacy" / f"{export.token}.zip"


def build(export_id: int) -> bool:
    """Build the archive and mail its link; False when there was nothing to do."""
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status != ExportStatus.PENDING:
        return False
    path = export_path(export)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(archive_bytes(collect(export.user)))
    DataExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.READY, ready_at=timezone.now(), file=str(path.name)
    )
    user = export.user
    language = (
        user.preferred_language if user.preferred_language in settings.LANGUAGE_CODES else "en"
    )
    with translation.override(language):
        link = settings.SITE_URL + reverse("privacy:download", args=[export.token])
        body = _(
            "Your data is ready to download (JSON and CSV files in one archive):\n%(link)s\n\n"
            "The link works once you are signed in, until %(date)s."
        ) % {
            "link": link,
            "date": format_date(timezone.localtime(export.expires_at), "DATETIME_FORMAT"),
        }
        EmailMessage(_("Entrevilles: your data"), body, to=[user.email]).send()
    return True
