"""Every "may this person do this to this object?" of Entrevilles is answered here.

Pages, the admin back office, the API and templates all ask these functions; nothing
else decides. Each function takes the user first (anonymous users included) and
returns a bool. Role assignments are read once per request and cached on the user.
"""

from __future__ import annotations

from functools import cached_property  # noqa: F401 - documented pattern for callers
from typing import TYPE_CHECKING

from .models import Role, RoleAssignment

if TYPE_CHECKING:
    from commissions.models import Commission
    from network.models import Organisation, Person


class Scopes:
    """The roles a user holds, loaded in one query."""

    def __init__(self, user):
        self.network_admin = False
        self.secretariat: set[int] = set()
        self.presidency: set[int] = set()
        self.representative: set[int] = set()
        if user is None or not user.is_authenticated or not user.is_active:
            return
        if user.is_superuser:
            self.network_admin = True
        for role, commission_id, organisation_id in RoleAssignment.objects.filter(
            user=user
        ).values_list("role", "commission_id", "organisation_id"):
            if role == Role.NETWORK_ADMIN:
                self.network_admin = True
            elif role == Role.SECRETARIAT:
                self.secretariat.add(commission_id)
            elif role == Role.PRESIDENCY:
                self.presidency.add(commission_id)
            elif role == Role.REPRESENTATIVE:
                self.representative.add(organisation_id)


def scopes(user) -> Scopes:
    if user is None:
        return Scopes(None)
    cached = getattr(user, "_entrevilles_scopes", None)
    if cached is None:
        cached = Scopes(user)
        if user.is_authenticated:
            user._entrevilles_scopes = cached
    return cached


def forget_scopes(user) -> None:
    """Drop the cached roles after they change (tests, role grants)."""
    if user is not None and hasattr(user, "_entrevilles_scopes"):
        del user._entrevilles_scopes


def is_authenticated(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_network_admin(user) -> bool:
    return scopes(user).network_admin


def is_network_member(user) -> bool:
    """Signed-in people with any role count as members of the network for visibility."""
    if not is_authenticated(user):
        return False
    s = scopes(user)
    return bool(
        s.network_admin
        or s.secretariat
        or s.presidency
        or s.representative
        or getattr(user, "person", None) is not None
    )


def is_secretariat_of(user, commission: Commission) -> bool:
    return commission.pk in scopes(user).secretariat


def is_presidency_of(user, commission: Commission) -> bool:
    return commission.pk in scopes(user).presidency


def represents(user, organisation: Organisation) -> bool:
    return organisation.pk in scopes(user).representative


def can_read_mailbox(user) -> bool:
    return is_network_admin(user)


def can_view_contact_details(user, person: Person) -> bool:
    """Contact details follow the person's visibility choice."""
    from network.models import Visibility

    if person.contact_visibility == Visibility.PUBLIC:
        return True
    if not is_authenticated(user):
        return False
    if person.user_id is not None and person.user_id == user.pk:
        return True
    if is_network_admin(user):
        return True
    if person.contact_visibility == Visibility.MEMBERS:
        return is_network_member(user)
    # Private: only the person, administrators and whoever manages their organisation.
    return (
        person.organisation_id is not None and person.organisation_id in scopes(user).representative
    )


# --- library (experiences, documents) and search --------------------------------------


def is_any_secretariat(user) -> bool:
    return bool(scopes(user).secretariat)


def can_review_experiences(user) -> bool:
    """The secretariat reviews and publishes the cities' experiences."""
    return is_network_admin(user) or is_any_secretariat(user)


def can_create_experience(user, city: Organisation) -> bool:
    """City officers write their own city's experiences."""
    return is_network_admin(user) or represents(user, city)


def can_edit_experience(user, experience) -> bool:
    return (
        is_network_admin(user) or represents(user, experience.city) or can_review_experiences(user)
    )


def can_view_experience(user, experience) -> bool:
    from library.models import Status

    return experience.status == Status.PUBLISHED or can_edit_experience(user, experience)


def can_submit_experience(user, experience) -> bool:
    from library.models import Status

    return experience.status == Status.DRAFT and can_edit_experience(user, experience)


def can_publish_experience(user, experience) -> bool:
    from library.models import Status

    return experience.status != Status.PUBLISHED and can_review_experiences(user)


def can_unpublish_experience(user, experience) -> bool:
    from library.models import Status

    return experience.status != Status.DRAFT and can_review_experiences(user)


def can_create_document(user) -> bool:
    return is_network_admin(user) or is_any_secretariat(user)


def can_edit_document(user, document) -> bool:
    """Administrators, and the secretariats of the document's commissions (or of any
    commission while the document is linked to none)."""
    if is_network_admin(user):
        return True
    mine = scopes(user).secretariat
    if not mine:
        return False
    linked = {commission.pk for commission in document.commissions.all()}
    return not linked or bool(linked & mine)


def can_view_document(user, document) -> bool:
    from library.models import DocumentVisibility, Status

    if document.status == Status.PUBLISHED:
        if document.visibility == DocumentVisibility.PUBLIC:
            return True
        return is_network_member(user) or can_edit_document(user, document)
    return can_edit_document(user, document)


def can_see_members_only_content(user) -> bool:
    return is_network_member(user)


def can_manage_glossary(user) -> bool:
    """The secretariat extends the search glossary and the taxonomies."""
    return is_network_admin(user) or is_any_secretariat(user)
