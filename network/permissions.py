"""Who may do what in the directory: organisations, people, their contact details.

The directory's published data (organisations, people's names and positions) is public;
contact details follow each person's visibility; writes are for the network
administrators and, within their own organisation, its representatives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import (
    is_authenticated,
    is_network_admin,
    is_network_member,
    represents,
    scopes,
)

if TYPE_CHECKING:
    from accounts.permissions import AnyUser
    from network.models import Organisation, OrganisationImport, Person


def can_view_contact_details(user: AnyUser, person: Person) -> bool:
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


# The directory's published data (organisations, people's names and positions) is
# public; contact details follow each person's visibility; writes are for the network
# administrators and, within their own organisation, its representatives.


def can_create_organisation(user: AnyUser) -> bool:
    return is_network_admin(user)


def can_edit_organisation(user: AnyUser, organisation: Organisation) -> bool:
    """Administrators edit every organisation; a representative edits their own."""
    return is_network_admin(user) or (
        is_authenticated(user) and organisation.pk is not None and represents(user, organisation)
    )


def can_manage_membership(user: AnyUser, organisation: Organisation | None = None) -> bool:
    """Kind, membership status and external references are the network's records, not a
    member's."""
    return is_network_admin(user)


def can_create_person(user: AnyUser, organisation: Organisation | None = None) -> bool:
    """Administrators add anyone; a representative adds people to their own organisation."""
    if is_network_admin(user):
        return True
    return organisation is not None and is_authenticated(user) and represents(user, organisation)


def can_edit_person(user: AnyUser, person: Person) -> bool:
    """The person themself, administrators, and representatives of the person's organisation."""
    if not is_authenticated(user):
        return False
    if is_network_admin(user):
        return True
    if person.user_id is not None and person.user_id == user.pk:
        return True
    return (
        person.organisation_id is not None and person.organisation_id in scopes(user).representative
    )


def can_import_organisations(user: AnyUser) -> bool:
    return is_network_admin(user)


def can_export_directory(user: AnyUser) -> bool:
    """Members of the network (anyone signed in with a role or a directory entry).

    Every exported field is public on the pages, but one click producing the whole
    directory as a file invites bulk harvesting of the member list; the members who
    need it for their work (secretariats preparing mailings, officers finding peers)
    are all signed in, so the export asks for membership.
    """
    return is_network_member(user)


def can_edit_own_profile(user: AnyUser, person: Person) -> bool:
    """A person edits the directory entry linked to their own login."""
    return is_authenticated(user) and person.user_id == user.pk


def can_download_organisation_import(user: AnyUser, job: OrganisationImport) -> bool:
    """An uploaded directory file is for the administrators who import."""
    return can_import_organisations(user)
