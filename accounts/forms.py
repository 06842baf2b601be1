from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import invitations, permissions
from .models import Role, User

if TYPE_CHECKING:
    from .profile_sections import ProfileSection


class EmailAuthenticationForm(AuthenticationForm):
    """Log in with the e-mail address, whatever its capitals."""

    error_messages = {
        "invalid_login": _(
            "This e-mail address and password do not match an account. Check them and "
            "try again, or reset your password."
        ),
        "inactive": _("This account is disabled. Ask the network's secretariat."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("E-mail address")
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "autofocus": True}
        )

    def clean_username(self):
        return User.objects.normalize_email(self.cleaned_data["username"]).lower()


class LocalisedPasswordResetForm(PasswordResetForm):
    """The reset message is written in the language its reader chose."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        language = getattr(context.get("user"), "preferred_language", None)
        if language not in settings.LANGUAGE_CODES:
            language = translation.get_language()
        with translation.override(language):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name,
            )


# Above this many organisations the invitation form asks for the directory number
# instead of offering a drop-down: a network administrator may invite to any of a
# quarter of a million organisations.
ORGANISATION_SELECT_LIMIT = 300


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"))
    commission = forms.ModelChoiceField(
        label=_("Commission"),
        queryset=None,
        required=False,
        help_text=_("For a secretariat or presidency."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        required=False,
        help_text=_("For a representative."),
    )
    person = forms.IntegerField(required=False, widget=forms.HiddenInput)
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        scopes = permissions.scopes(user)
        offered = {
            Role.NETWORK_ADMIN: scopes.network_admin,
            Role.SECRETARIAT: scopes.network_admin or bool(scopes.secretariat),
            Role.PRESIDENCY: scopes.network_admin or bool(scopes.secretariat),
            Role.REPRESENTATIVE: scopes.network_admin
            or bool(scopes.secretariat or scopes.representative),
        }
        self.fields["role"].choices = [
            (value, label) for value, label in Role.choices if offered[value]
        ]
        self.fields["commission"].queryset = permissions.invitable_commissions(user).order_by(
            "name"
        )
        organisations = permissions.invitable_organisations(user)
        self.fields["organisation"].queryset = organisations
        if organisations.count() > ORGANISATION_SELECT_LIMIT:
            self.fields["organisation"].widget = forms.NumberInput()
            self.fields["organisation"].help_text = _(
                "For a representative: the organisation's number, as shown in the address "
                "of its page in the directory."
            )
        if not scopes.network_admin and not scopes.secretariat:
            # A representative invites colleagues: the only role on offer.
            self.fields["commission"].widget = forms.HiddenInput()

    def clean_person(self) -> Any:
        person_id = self.cleaned_data.get("person")
        if not person_id:
            return None
        person = invitations.directory().person(person_id)
        if person is None:
            raise forms.ValidationError(_("This person is not in the directory."))
        return person

    def clean(self):
        data = super().clean()
        role = data.get("role")
        commission = data.get("commission")
        organisation = data.get("organisation")
        if role in (Role.SECRETARIAT, Role.PRESIDENCY):
            if commission is None:
                self.add_error("commission", _("Choose the commission for this role."))
            data["organisation"] = None
        elif role == Role.REPRESENTATIVE:
            if organisation is None:
                self.add_error("organisation", _("Choose the organisation for this role."))
            data["commission"] = None
        elif role == Role.NETWORK_ADMIN:
            data["commission"] = data["organisation"] = None
        email = data.get("email")
        person = data.get("person")
        if person is not None and not self.errors:
            invitations.directory().check_invitee(self.user, person, email or "")
        if email and role and not self.errors:
            existing = User.objects.filter(email__iexact=email).first()
            if (
                existing is not None
                and existing.role_assignments.filter(
                    role=role, commission=data["commission"], organisation=data["organisation"]
                ).exists()
            ):
                self.add_error("email", _("This person already holds this role."))
        return data


class SetPasswordFieldsMixin(forms.Form):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class AcceptInvitationForm(SetPasswordFieldsMixin):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)

    field_order = ["first_name", "last_name", "password1", "password2"]

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean(self):
        data = super().clean()
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            probe = User(
                email=self.invitation.email,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class ProfileForm(forms.Form):
    """The person's own settings, then the fields of the sections other apps add to the
    profile (`accounts.profile_sections`)."""

    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=settings.LANGUAGES,
        help_text=_("The platform and its e-mails speak to you in this language."),
    )

    def __init__(self, *args: Any, sections: list[ProfileSection], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for section in sections:
            self.fields.update(section.fields())


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "text"}
        ),
    )


class ConfirmIdentityForm(forms.Form):
    """The password again, and a code for those who have a second factor."""

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, *args, user, with_code: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if with_code:
            self.fields["code"] = SecondFactorForm.base_fields["code"]

    def clean(self):
        from .authentication import check_code

        data = super().clean()
        if self.errors:
            return data
        if not self.user.check_password(data["password"]):
            self.add_error("password", _("This is not your password."))
        elif "code" in self.fields and check_code(self.user, data.get("code", "")) is None:
            self.add_error("code", _("This code is not valid. Try the code your app shows now."))
        return data


class PersonalTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the new token"),
        max_length=100,
        help_text=_("What will use it, for example “monthly report script”."),
    )
