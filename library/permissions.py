"""Who may see, write, review and publish experiences and documents, and download
their files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import (
    is_any_secretariat,
    is_network_admin,
    is_network_member,
    represents,
    scopes,
)

if TYPE_CHECKING:
    from accounts.permissions import AnyUser
    from library.models import Document, DocumentFile, Experience, ExperienceAttachment
    from network.models import Organisation


def can_review_experiences(user: AnyUser) -> bool:
    """The secretariat reviews and publishes the cities' experiences."""
    return is_network_admin(user) or is_any_secretariat(user)


def can_create_experience(user: AnyUser, city: Organisation) -> bool:
    """City officers write their own city's experiences."""
    return is_network_admin(user) or represents(user, city)


def can_edit_experience(user: AnyUser, experience: Experience) -> bool:
    return (
        is_network_admin(user) or represents(user, experience.city) or can_review_experiences(user)
    )


def can_view_experience(user: AnyUser, experience: Experience) -> bool:
    from library.models import Status

    return experience.status == Status.PUBLISHED or can_edit_experience(user, experience)


def can_submit_experience(user: AnyUser, experience: Experience) -> bool:
    from library.models import Status

    return experience.status == Status.DRAFT and can_edit_experience(user, experience)


def can_publish_experience(user: AnyUser, experience: Experience) -> bool:
    from library.models import Status

    return experience.status != Status.PUBLISHED and can_review_experiences(user)


def can_unpublish_experience(user: AnyUser, experience: Experience) -> bool:
    from library.models import Status

    return experience.status != Status.DRAFT and can_review_experiences(user)


def can_create_document(user: AnyUser) -> bool:
    return is_network_admin(user) or is_any_secretariat(user)


def can_edit_document(user: AnyUser, document: Document) -> bool:
    """Administrators, and the secretariats of the document's commissions (or of any
    commission while the document is linked to none)."""
    if is_network_admin(user):
        return True
    mine = scopes(user).secretariat
    if not mine:
        return False
    linked = {commission.pk for commission in document.commissions.all()}
    return not linked or bool(linked & mine)


def can_view_document(user: AnyUser, document: Document) -> bool:
    from library.models import DocumentVisibility, Status

    if document.status == Status.PUBLISHED:
        if document.visibility == DocumentVisibility.PUBLIC:
            return True
        return is_network_member(user) or can_edit_document(user, document)
    return can_edit_document(user, document)


# A file is seen by whoever may see what it belongs to (uploads.downloads asks these).


def can_download_document_file(user: AnyUser, document_file: DocumentFile) -> bool:
    return can_view_document(user, document_file.version.document)


def can_download_experience_attachment(user: AnyUser, attachment: ExperienceAttachment) -> bool:
    return can_view_experience(user, attachment.experience)
