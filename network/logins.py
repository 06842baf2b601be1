"""Where a login meets its entry in the directory.

accounts knows logins, roles and invitations, and nothing of the directory; the
directory tells it, from `NetworkConfig.ready` (`register`):

- on the profile page, the signed-in person's contact details: position, phone and who
  sees them (`ContactDetailsSection`, a section of `accounts.profile_sections`);
- for invitations, the organisations and people they may name, whether the inviter may
  attach the new login to an entry, and the link made once the invitation is accepted
  (`InvitationDirectory`, the `accounts.invitations.Directory`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from accounts import invitations, permissions, profile_sections
from audit import services as audit

from . import services
from .models import Organisation, Person, Visibility

if TYPE_CHECKING:
    from django.utils.safestring import SafeString

    from accounts.models import Invitation, User

# Sentences shown under each visibility choice on the profile page.
VISIBILITY_EXPLANATIONS = {
    "public": _("Anyone, signed in or not, can see your e-mail address and phone number."),
    "members": _("Only people signed in to the network's platform can see them."),
    "private": _(
        "Only you, the network administrators and your organisation's representatives can see them."
    ),
}


class ContactDetailsSection:
    """The profile's part about the person's entry in the directory: shown to those whose
    login is linked to one."""

    def __init__(self, person: Person) -> None:
        self.person = person

    @classmethod
    def for_user(cls, user: User) -> ContactDetailsSection | None:
        person = Person.objects.select_related("organisation").filter(user=user).first()
        return None if person is None else cls(person)

    def fields(self) -> dict[str, forms.Field]:
        return {
            "position": forms.CharField(
                label=_("Position"),
                max_length=Person._meta.get_field("position").max_length,
                required=False,
            ),
            "phone": forms.CharField(
                label=_("Phone"),
                max_length=Person._meta.get_field("phone").max_length,
                required=False,
            ),
            "contact_visibility": forms.ChoiceField(
                label=_("Who can see your e-mail address and phone number"),
                choices=Visibility.choices,
                widget=forms.RadioSelect,
            ),
        }

    def initial(self) -> dict[str, Any]:
        return {
            "position": self.person.position,
            "phone": self.person.phone,
            "contact_visibility": self.person.contact_visibility,
        }

    def render(self, form: forms.Form) -> SafeString:
        # Each visibility choice with its one-sentence explanation.
        options = [
            (option, VISIBILITY_EXPLANATIONS.get(option.data["value"], ""))
            for option in form["contact_visibility"]
        ]
        return render_to_string(
            "network/_profile_contact_details.html",
            {"form": form, "person": self.person, "visibility_options": options},
        )

    def save(self, data: dict[str, Any], *, actor: User) -> None:
        services.update_contact_details(
            self.person,
            position=data["position"],
            phone=data["phone"],
            contact_visibility=data["contact_visibility"],
            actor=actor,
        )


class InvitationDirectory:
    """The organisations and people of the directory, as invitations name them."""

    def organisations(self) -> QuerySet[Organisation]:
        return Organisation.objects.order_by("search_name", "id")

    def person(self, person_id: int) -> Person | None:
        return Person.objects.filter(pk=person_id).first()

    def invitation_initial(self, person: Person) -> dict[str, Any]:
        initial: dict[str, Any] = {"email": person.email, "language": person.preferred_language}
        if person.organisation_id:
            initial["organisation"] = person.organisation_id
        return initial

    def check_invitee(self, user: User, person: Person, email: str) -> None:
        """The login created by the invitation will be attached to this directory entry,
        so it must be free, and (except for administrators) be the invited address's
        entry, in an organisation the inviter manages."""
        if person.user_id is not None:
            raise forms.ValidationError(_("This person already has a login."))
        if permissions.is_network_admin(user):
            return
        same_address = bool(email) and person.email.lower() == email.lower()
        in_scope = (
            person.organisation_id is not None
            and permissions.invitable_organisations(user).filter(pk=person.organisation_id).exists()
        )
        if not (same_address and in_scope):
            raise forms.ValidationError(
                _("You can only invite the directory entry of this address in your organisation.")
            )

    def link_login(self, invitation: Invitation, user: User) -> None:
        link_invited_login(invitation, user)


@transaction.atomic
def link_invited_login(invitation: Invitation, user: User) -> None:
    """Attach the login that accepted `invitation` to the directory entry it names, or
    to the only entry with the same address that has no login yet; a login already
    linked to an entry stays as it is."""
    if getattr(user, "person", None) is not None:
        return
    person = invitation.person
    if person is None:
        candidates = list(Person.objects.filter(email__iexact=invitation.email, user=None)[:2])
        person = candidates[0] if len(candidates) == 1 else None
    if person is None or person.user_id is not None:
        return
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    audit.record("network.person.login_linked", person, actor=user, after={"user_id": user.pk})


def register() -> None:
    profile_sections.register_section(ContactDetailsSection.for_user)
    invitations.register_directory(InvitationDirectory())
