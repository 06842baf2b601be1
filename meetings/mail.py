"""The invitation e-mails of a meeting, each in its reader's language.

A person invited gets the message in their preferred language; an organisation invited
reaches its representatives (each in their own language), or else its general address
in its first working language.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.recipients import Reader, language_or_default, readers_for

from .models import Invitation

_language = language_or_default


def readers_of(invitation: Invitation, representatives: dict[int, list[Reader]]) -> list[Reader]:
    person = invitation.person
    if person is not None:
        return [Reader(person.email, _language(person.preferred_language), person.full_name)]
    organisation = invitation.organisation
    if organisation.pk in representatives:
        return representatives[organisation.pk]
    languages = [code for code in (organisation.working_languages or []) if code]
    return [Reader(organisation.email, _language(languages[0] if languages else None))]


def _message(invitation: Invitation, reader: Reader) -> EmailMessage:
    meeting = invitation.meeting
    with translation.override(reader.language):
        context = {
            "reader": reader,
            "meeting": meeting,
            "organisation": invitation.organisation,
            "inviter": invitation.invited_by.get_full_name() if invitation.invited_by else "",
            "url": settings.SITE_URL + reverse("meetings:detail", args=[meeting.pk]),
            "start": timezone.localtime(meeting.starts_at, meeting.zone),
            "end": timezone.localtime(meeting.ends_at, meeting.zone),
        }
        subject = render_to_string("meetings/email/invitation_subject.txt", context).strip()
        body = render_to_string("meetings/email/invitation.txt", context)
    return EmailMessage(subject=subject, body=body, to=[reader.email])


def _representatives(organisation_ids) -> dict[int, list[Reader]]:
    """The active representatives of these organisations who have an e-mail address."""
    return {
        organisation_id: readers
        for (_kind, organisation_id), readers in readers_for(
            organisations=list(organisation_ids)
        ).items()
    }


def unreachable(invitations: list[Invitation]) -> set[int]:
    """The ids of the invitations nobody could receive: no address to write to."""
    representatives = _representatives(
        {i.organisation_id for i in invitations if i.person_id is None}
    )
    return {
        invitation.pk
        for invitation in invitations
        if not any(reader.email for reader in readers_of(invitation, representatives))
    }


def send_invitations(invitation_ids: list[int]) -> int:
    """Send the invitations not yet sent; returns the number of messages sent.

    Each invitation is marked sent with its messages, so a second run sends nothing more.
    One that nobody can receive is marked as having no address, and stays unsent.
    """
    invitations = list(
        Invitation.objects.filter(pk__in=invitation_ids, emailed_at=None)
        .select_related("meeting__host", "organisation", "person", "invited_by")
        .order_by("pk")
    )
    if not invitations:
        return 0
    representatives = _representatives(
        {i.organisation_id for i in invitations if i.person_id is None}
    )
    sent = 0
    connection = mailers.default
    with connection:
        for invitation in invitations:
            messages = [
                _message(invitation, reader)
                for reader in dict.fromkeys(readers_of(invitation, representatives))
                if reader.email
            ]
            if not messages:
                Invitation.objects.filter(pk=invitation.pk, emailed_at=None).update(no_address=True)
                continue
            with transaction.atomic():
                marked = Invitation.objects.filter(pk=invitation.pk, emailed_at=None).update(
                    emailed_at=timezone.now(), no_address=False
                )
                if not marked:
                    continue  # another run sent it meanwhile
                # Inside the transaction: a failed send leaves it unsent for the next run.
                connection.send_messages(messages)
            sent += len(messages)
    return sent
