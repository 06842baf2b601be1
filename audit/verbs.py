"""What an action code says was done, as a noun in the reader's language.

The last part of a code ("circulars.circular.created") names the verb; the log reads it
as "Creation" in English, French or Spanish. The entry's own text (`AuditEntry.__str__`)
and the log's pages (`presentation`) both name actions this way.
"""

from django.utils.text import capfirst
from django.utils.translation import pgettext_lazy

# Contexts keep these common words apart from the same words in other apps' catalogues
# (Django merges every catalogue into one per language).
# The last part of an action code, as a noun (a noun reads the same whatever the gender
# of the object it applies to in French or Spanish).
VERBS = {
    "created": pgettext_lazy("audit action", "Creation"),
    "updated": pgettext_lazy("audit action", "Change"),
    "changed": pgettext_lazy("audit action", "Change"),
    "saved": pgettext_lazy("audit action", "Change"),
    "deleted": pgettext_lazy("audit action", "Deletion"),
    "removed": pgettext_lazy("audit action", "Removal"),
    "added": pgettext_lazy("audit action", "Addition"),
    "imported": pgettext_lazy("audit action", "Import"),
    "granted": pgettext_lazy("audit action", "Role granted"),
    "withdrawn": pgettext_lazy("audit action", "Role withdrawn"),
    "sent": pgettext_lazy("audit action", "Sending"),
    "resent": pgettext_lazy("audit action", "Sent again"),
    "revoked": pgettext_lazy("audit action", "Revocation"),
    "accepted": pgettext_lazy("audit action", "Acceptance"),
    "published": pgettext_lazy("audit action", "Publication"),
    "unpublished": pgettext_lazy("audit action", "Withdrawal from publication"),
    "approved": pgettext_lazy("audit action", "Approval"),
    "scheduled": pgettext_lazy("audit action", "Scheduling"),
    "sending": pgettext_lazy("audit action", "Sending"),
    "test_sent": pgettext_lazy("audit action", "Test sending"),
    "stopped": pgettext_lazy("audit action", "Stop"),
    "resumed": pgettext_lazy("audit action", "Resumption"),
    "audience": pgettext_lazy("audit action", "Audience change"),
    "recorded": pgettext_lazy("audit action", "Record"),
    "registered": pgettext_lazy("audit action", "Registration"),
    "promoted": pgettext_lazy("audit action", "Promotion from the waiting list"),
    "cancelled": pgettext_lazy("audit action", "Cancellation"),
    "invited": pgettext_lazy("audit action", "Invitations"),
    "reported": pgettext_lazy("audit action", "Report back"),
    "moved": pgettext_lazy("audit action", "Move"),
    "dismissed": pgettext_lazy("audit action", "Dismissal"),
    "restored": pgettext_lazy("audit action", "Restoration"),
    "proposed": pgettext_lazy("audit action", "Proposal"),
    "filed": pgettext_lazy("audit action", "Filing"),
    "revised": pgettext_lazy("audit action", "Revision"),
    "commented": pgettext_lazy("audit action", "Comment"),
    "ended": pgettext_lazy("audit action", "End"),
    "adopted": pgettext_lazy("audit action", "Adoption"),
    "bounced": pgettext_lazy("audit action", "Bounce"),
    "status_changed": pgettext_lazy("audit action", "Change of status"),
    "contact_added": pgettext_lazy("audit action", "Contact added"),
    "contact_removed": pgettext_lazy("audit action", "Contact removed"),
    "contact_updated": pgettext_lazy("audit action", "Contact details changed"),
    "visibility_changed": pgettext_lazy("audit action", "Change of visibility"),
    "language_changed": pgettext_lazy("audit action", "Change of language"),
    "login_linked": pgettext_lazy("audit action", "Login linked"),
    "queued": pgettext_lazy("audit action", "Queued"),
    "links_changed": pgettext_lazy("audit action", "Links changed"),
    "actions_changed": pgettext_lazy("audit action", "Actions changed"),
    "documents_changed": pgettext_lazy("audit action", "Documents changed"),
    "file_added": pgettext_lazy("audit action", "File added"),
    "attachment_added": pgettext_lazy("audit action", "Attachment added"),
    "returned": pgettext_lazy("audit action", "Returned to the author"),
    "attendance_recorded": pgettext_lazy("audit action", "Attendance recorded"),
    "update_posted": pgettext_lazy("audit action", "Progress update"),
    "unconfirmed_resent": pgettext_lazy("audit action", "Unconfirmed deliveries sent again"),
    "unconfirmed_confirmed": pgettext_lazy("audit action", "Unconfirmed deliveries confirmed"),
    "member_added": pgettext_lazy("audit action", "Member added"),
    "member_left": pgettext_lazy("audit action", "Member left"),
    "session_added": pgettext_lazy("audit action", "Session added"),
    "session_updated": pgettext_lazy("audit action", "Session changed"),
    "conclusion_added": pgettext_lazy("audit action", "Conclusion added"),
    "conclusion_updated": pgettext_lazy("audit action", "Conclusion changed"),
    "conclusion_to_action": pgettext_lazy("audit action", "Conclusion turned into an action"),
    "action_created": pgettext_lazy("audit action", "Action created"),
    "outcome": pgettext_lazy("audit action", "Outcome"),
    "outcomes": pgettext_lazy("audit action", "Outcomes"),
}


def verb_label(action: str) -> str:
    """What the action code `action` says was done ("Creation")."""
    verb = action.rsplit(".", 1)[-1]
    label = VERBS.get(verb)
    return str(label) if label is not None else capfirst(verb.replace("_", " "))
