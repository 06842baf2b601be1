from django.tasks import task

from . import mail


@task()
def send_meeting_invitations(invitation_ids: list[int]) -> int:
    """E-mail the meeting invitations not yet sent; safe to run more than once."""
    return mail.send_invitations(invitation_ids)
