"""Mail that accounts sends from the background worker, never inside a web request:
a reset asked for an unknown address then takes exactly as long as one for a known
address, and a slow mail relay slows no page down."""

from django.tasks import task

from . import forms, services


@task()
def send_invitation(invitation_id: int) -> None:
    services.send_invitation_email(invitation_id)


@task()
def send_password_reset(email: str, domain: str, use_https: bool) -> None:
    """Mail a reset link to each active account of `email`; nothing when there is none."""
    form = forms.LocalisedPasswordResetForm({"email": email})
    if not form.is_valid():
        return
    form.save(
        domain_override=domain,
        use_https=use_https,
        email_template_name="accounts/email/password_reset.txt",
        subject_template_name="accounts/email/password_reset_subject.txt",
    )
