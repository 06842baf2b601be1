from django.tasks import task


@task()
def send_invitation(invitation_id: int) -> None:
    """E-mail an invitation in its own language (the background worker sends all mail)."""
    from .services import send_invitation_email

    send_invitation_email(invitation_id)
