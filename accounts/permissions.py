"""Every "may this person do this to this object?" of Entrevilles is answered here.

Pages, the admin back office, the API and templates all ask these functions; nothing
else decides. Each function takes the user first (anonymous users included) and
returns a bool. Role assignments are read once per request and cached on the user.
"""

from __future__ import annotations

from functools import cached_property  # noqa: F401 - documented pattern for callers
from typing import TYPE_CHECKING

from .models import Invitation, Role, RoleAssignment

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
    """The user's roles, read once and cached on the user object for the request."""
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
    """The World Secretariat's administrators (and superusers): every scope."""
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
    """Holds the secretariat role of this commission (administrators do not count)."""
    return commission.pk in scopes(user).secretariat


def is_presidency_of(user, commission: Commission) -> bool:
    """Holds the presidency role of this commission (administrators do not count)."""
    return commission.pk in scopes(user).presidency


def represents(user, organisation: Organisation) -> bool:
    """Acts for this organisation as its representative."""
    return organisation.pk in scopes(user).representative


def must_use_second_factor(user) -> bool:
    """Those who hold power over others' data (administrators, secretariats, back-office
    staff) cannot work without a second factor; anyone else may choose one."""
    from django.conf import settings

    if not is_authenticated(user):
        return False
    if user.is_staff or user.is_superuser:
        return True
    s = scopes(user)
    required = set(settings.SECOND_FACTOR_REQUIRED_ROLES)
    return bool(
        (Role.NETWORK_ADMIN in required and s.network_admin)
        or (Role.SECRETARIAT in required and s.secretariat)
        or (Role.PRESIDENCY in required and s.presidency)
        or (Role.REPRESENTATIVE in required and s.representative)
    )


def can_remove_own_second_factor(user) -> bool:
    """Only people whose roles do not require one may switch their second factor off."""
    return is_authenticated(user) and not must_use_second_factor(user)


def can_read_mailbox(user) -> bool:
    """The local mail sink's messages are for network administrators only."""
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


# --- network -------------------------------------------------------------------------
# The directory's published data (organisations, people's names and positions) is
# public; contact details follow each person's visibility; writes are for the network
# administrators and, within their own organisation, its representatives.


def can_create_organisation(user) -> bool:
    return is_network_admin(user)


def can_edit_organisation(user, organisation: Organisation) -> bool:
    """Administrators edit every organisation; a representative edits their own."""
    return is_network_admin(user) or (
        is_authenticated(user) and organisation.pk is not None and represents(user, organisation)
    )


def can_manage_membership(user, organisation: Organisation | None = None) -> bool:
    """Kind, membership status and external references are the network's records, not a
    member's."""
    return is_network_admin(user)


def can_create_person(user, organisation: Organisation | None = None) -> bool:
    """Administrators add anyone; a representative adds people to their own organisation."""
    if is_network_admin(user):
        return True
    return organisation is not None and is_authenticated(user) and represents(user, organisation)


def can_edit_person(user, person: Person) -> bool:
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


def can_import_organisations(user) -> bool:
    return is_network_admin(user)


def can_export_directory(user) -> bool:
    """Members of the network (anyone signed in with a role or a directory entry).

    Every exported field is public on the pages, but one click producing the whole
    directory as a file invites bulk harvesting of the member list; the members who
    need it for their work (secretariats preparing mailings, officers finding peers)
    are all signed in, so the export asks for membership.
    """
    return is_network_member(user)


# --- commissions ---------------------------------------------------------------------
# A commission is run by its secretariat; network administrators may do everything.
# Presidencies and representatives read what the public reads.


def can_create_commission(user) -> bool:
    return is_network_admin(user)


def can_delete_commission(user, commission: Commission) -> bool:
    return is_network_admin(user)


def can_edit_commission(user, commission: Commission) -> bool:
    """Mandate, names, presidencies and secretariat contacts."""
    return is_network_admin(user) or is_secretariat_of(user, commission)


def can_manage_commission_members(user, commission: Commission) -> bool:
    return is_network_admin(user) or is_secretariat_of(user, commission)


def can_view_commission_history(user, commission: Commission) -> bool:
    return is_network_admin(user) or is_secretariat_of(user, commission)


def can_use_commission_back_office(user) -> bool:
    """Whether the admin back office shows the commission models at all."""
    return is_network_admin(user) or bool(scopes(user).secretariat)


def commissions_editable_by(user):
    """The commissions `user` may edit, as a queryset (for the admin and the API)."""
    from commissions.models import Commission

    if is_network_admin(user):
        return Commission.objects.all()
    return Commission.objects.filter(pk__in=scopes(user).secretariat)


# ---------------------------------------------------------------------------
# accounts: the back office, roles and invitations
# ---------------------------------------------------------------------------


def can_use_admin(user) -> bool:
    """The admin back office opens to network administrators and to secretariats.

    Django's `is_staff` flag is not used: roles decide. Secretariats see only the models
    whose admin asks these functions for their commission's objects; the user, role
    and invitation screens stay with network administrators.
    """
    s = scopes(user)
    return s.network_admin or bool(s.secretariat)


# --- meetings ---------------------------------------------------------------------------
# A meeting belongs to one or several commissions; their secretariats manage it. Callers
# prefetch `meeting.commissions` so that these checks cost no query.


def _commission_ids(obj) -> set[int]:
    return {commission.pk for commission in obj.commissions.all()}


def can_view_meeting(user, meeting) -> bool:
    from meetings.models import MeetingVisibility

    if meeting.visibility == MeetingVisibility.PUBLIC:
        return True
    return is_network_member(user)


def can_create_meeting(user) -> bool:
    s = scopes(user)
    return s.network_admin or bool(s.secretariat)


def back_office_commission_ids(user) -> set[int] | None:
    """Commissions whose objects this user manages in the back office: None means all
    (network administrators), otherwise the commissions of their secretariat roles."""
    s = scopes(user)
    return None if s.network_admin else set(s.secretariat)


def can_manage_commission_in_back_office(user, commission_id: int | None) -> bool:
    """A network administrator manages every commission's objects in the back office;
    a secretariat only its own commissions'."""
    managed = back_office_commission_ids(user)
    return managed is None or (commission_id is not None and commission_id in managed)


def can_manage_roles(user) -> bool:
    """Granting and withdrawing roles in the back office: network administrators only."""
    return is_network_admin(user)


def can_invite(
    user,
    role: str,
    commission: Commission | None = None,
    organisation: Organisation | None = None,
) -> bool:
    """May `user` invite someone to hold `role` in this scope?

    - Network administrators invite to any role, including network administrator.
    - A commission secretariat invites the secretariat and presidency of its own
      commission, and representatives of the organisations that are members of it.
    - A representative invites other representatives of its own organisation.
    - Presidencies and people without a role invite nobody.

    The scope must fit the role (a commission for secretariat and presidency, an
    organisation for a representative, nothing for an administrator); anything else is
    refused, so a forged form cannot create an inconsistent role.
    """
    if not is_authenticated(user):
        return False
    if role == Role.NETWORK_ADMIN:
        return commission is None and organisation is None and is_network_admin(user)
    if role in (Role.SECRETARIAT, Role.PRESIDENCY):
        if commission is None or organisation is not None:
            return False
        return is_network_admin(user) or is_secretariat_of(user, commission)
    if role == Role.REPRESENTATIVE:
        if organisation is None or commission is not None:
            return False
        if is_network_admin(user) or represents(user, organisation):
            return True
        return _is_secretariat_of_a_commission_of(user, organisation)
    return False


def _is_secretariat_of_a_commission_of(user, organisation: Organisation) -> bool:
    """A member of one of the user's commissions, or a party to a partnership one of them
    facilitates (so that a party nobody can receive yet gets a representative)."""
    managed = scopes(user).secretariat
    if not managed:
        return False
    from commissions.models import CommissionMembership
    from learning.models import PartnershipParty

    return (
        CommissionMembership.objects.filter(
            organisation=organisation, commission_id__in=managed
        ).exists()
        or PartnershipParty.objects.filter(
            organisation=organisation, partnership__facilitating_commission_id__in=managed
        ).exists()
    )


def can_invite_anyone(user) -> bool:
    """Whether the invitation pages are offered to this user at all."""
    s = scopes(user)
    return s.network_admin or bool(s.secretariat) or bool(s.representative)


def can_manage_invitation(user, invitation: Invitation) -> bool:
    """Resend or revoke: whoever could send this invitation today (its sender included
    only while they still hold the role that allowed it)."""
    return can_invite(user, invitation.role, invitation.commission, invitation.organisation)


def invitable_commissions(user):
    """Commissions whose secretariat or presidency this user may invite."""
    from commissions.models import Commission

    if is_network_admin(user):
        return Commission.objects.all()
    return Commission.objects.filter(pk__in=scopes(user).secretariat)


def invitable_organisations(user):
    """Organisations whose representatives this user may invite."""
    from django.db.models import Q

    from network.models import Organisation

    if is_network_admin(user):
        return Organisation.objects.all()
    from learning.models import PartnershipParty

    s = scopes(user)
    parties = PartnershipParty.objects.filter(
        partnership__facilitating_commission_id__in=s.secretariat
    ).values("organisation_id")
    return Organisation.objects.filter(
        Q(pk__in=s.representative)
        | Q(commission_memberships__commission_id__in=s.secretariat)
        | Q(pk__in=parties)
    ).distinct()


def visible_invitations(user):
    """The invitations listed to this user: all for administrators, else those in the
    scopes they may invite to."""
    from django.db.models import Q

    if is_network_admin(user):
        return Invitation.objects.all()
    s = scopes(user)
    if not (s.secretariat or s.representative):
        return Invitation.objects.none()
    return Invitation.objects.filter(
        Q(commission_id__in=s.secretariat)
        | Q(organisation_id__in=s.representative)
        | Q(organisation__commission_memberships__commission_id__in=s.secretariat)
    ).distinct()


def can_edit_own_profile(user, person: Person) -> bool:
    """A person edits the directory entry linked to their own login."""
    return is_authenticated(user) and person.user_id == user.pk


def can_create_meeting_for(user, commissions) -> bool:
    """A secretariat may open a meeting (joint or not) only with its own commission in it."""
    s = scopes(user)
    if s.network_admin:
        return True
    ids = {commission.pk for commission in commissions}
    return bool(ids) and bool(ids & s.secretariat)


def can_manage_meeting(user, meeting) -> bool:
    s = scopes(user)
    return s.network_admin or bool(_commission_ids(meeting) & s.secretariat)


def can_read_meeting_drafts(user, meeting) -> bool:
    """Draft minutes: the managing secretariats and the commissions' presidencies."""
    if can_manage_meeting(user, meeting):
        return True
    return bool(_commission_ids(meeting) & scopes(user).presidency)


def can_register_person(user, meeting, person) -> bool:
    """People register themselves; a representative registers its organisation's people."""
    if not is_authenticated(user) or not can_view_meeting(user, meeting):
        return False
    if can_manage_meeting(user, meeting):
        return True
    if person.user_id is not None and person.user_id == user.pk:
        return True
    return person.organisation_id is not None and represents_id(user, person.organisation_id)


def represents_id(user, organisation_id: int) -> bool:
    return organisation_id in scopes(user).representative


def can_see_participant_name(user, meeting, person) -> bool:
    """Names in participant lists follow each person's contact visibility."""
    return can_manage_meeting(user, meeting) or can_view_contact_details(user, person)


def can_invite_to_meeting(user, meeting) -> bool:
    """Inviting chosen organisations and people: the meeting's commission secretariats and
    the network administrators."""
    return is_authenticated(user) and can_manage_meeting(user, meeting)


# --- actions ----------------------------------------------------------------------------
# Workstreams belong to commissions; actions have owners (organisations, commissions,
# people). Callers prefetch `workstream.commissions` and the action's owners.


def can_create_workstream(user) -> bool:
    return can_create_meeting(user)


def can_manage_workstream(user, workstream) -> bool:
    s = scopes(user)
    return s.network_admin or bool(_commission_ids(workstream) & s.secretariat)


def can_edit_action(user, action) -> bool:
    """Editing an action (title, owners, due date): its workstream's secretariats."""
    s = scopes(user)
    if s.network_admin:
        return True
    ids = {commission.pk for commission in action.owner_commissions.all()}
    if action.workstream is not None:
        ids |= _commission_ids(action.workstream)
    return bool(ids & s.secretariat)


def owns_action(user, action) -> bool:
    if not is_authenticated(user):
        return False
    s = scopes(user)
    if any(person.user_id == user.pk for person in action.owner_people.all()):
        return True
    if any(org.pk in s.representative for org in action.owner_organisations.all()):
        return True
    return any(c.pk in s.secretariat for c in action.owner_commissions.all())


def can_update_action(user, action) -> bool:
    """Posting a progress update: the owners, and whoever may edit the action."""
    return owns_action(user, action) or can_edit_action(user, action)


# --- meetings: external events (they have commissions, like meetings) ---------------------


def can_report_back(user, representation) -> bool:
    """The representing organisation's people report back; so do the event's secretariats."""
    if not is_authenticated(user):
        return False
    if can_manage_meeting(user, representation.event):
        return True
    person = representation.person
    if person is not None and person.user_id == user.pk:
        return True
    return representation.organisation_id in scopes(user).representative


def can_link_representation_documents(user, representation) -> bool:
    """Documents of a mandate or report back: whoever may write the report back (the
    representatives and the event's secretariats, network administrators included)."""
    return can_report_back(user, representation)


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


# --- learning: needs ----------------------------------------------------------------------
# The secretariat sees every need; a city sees its own and the published ones; the public
# sees published needs.


def visible_learning_needs(user):
    """The learning needs this user may read, as a queryset."""
    from django.db.models import Q

    from learning.models import LearningNeed, NeedStatus, NeedVisibility

    if is_network_admin(user) or is_any_secretariat(user):
        return LearningNeed.objects.all()
    own = scopes(user).representative
    if not own:
        return LearningNeed.objects.published()
    # One condition rather than a sub-select, so that the planner keeps the date index.
    return LearningNeed.objects.filter(
        (Q(visibility=NeedVisibility.PUBLISHED) & ~Q(status=NeedStatus.WITHDRAWN))
        | Q(city_id__in=own)
    )


def can_create_learning_need(user, city: Organisation) -> bool:
    """City officers state their own city's needs; the secretariat may do it for a city."""
    return is_network_admin(user) or is_any_secretariat(user) or represents(user, city)


def can_edit_learning_need(user, need) -> bool:
    return is_network_admin(user) or is_any_secretariat(user) or represents(user, need.city)


def can_state_learning_needs(user) -> bool:
    """Whether the "state a need" page is offered at all (for one city or on behalf of one)."""
    s = scopes(user)
    return bool(s.network_admin or s.secretariat or s.representative)


def can_state_needs_for_any_city(user) -> bool:
    """The secretariat and administrators state needs on behalf of any city."""
    return is_network_admin(user) or is_any_secretariat(user)


def can_change_learning_need_status(user, need) -> bool:
    """The city and the secretariat move a need along (matched, in partnership, met...)."""
    return can_edit_learning_need(user, need)


def can_translate_learning_need(user, need) -> bool:
    """The city or the secretariat adds a translation of the need's texts."""
    return can_edit_learning_need(user, need)


def can_see_who_changed_learning_needs(user) -> bool:
    """Names in a need's history are for members of the network; the public sees dates."""
    return is_network_member(user)


def can_see_private_learning_demand(user) -> bool:
    """The agenda counts private needs too for those who may read every need."""
    return is_network_admin(user) or is_any_secretariat(user)


# --- learning: agenda ----------------------------------------------------------------------
# A commission's secretariat (and the network administrators) adopt its agenda priorities;
# everyone reads them, with the published needs behind each one.


def can_adopt_agenda_priority(user, commission: Commission) -> bool:
    return is_network_admin(user) or is_secretariat_of(user, commission)


def can_edit_agenda_priority(user, priority) -> bool:
    return is_network_admin(user) or priority.commission_id in scopes(user).secretariat


def agenda_commissions_for(user):
    """The commissions whose agenda this user may write, as a queryset."""
    from commissions.models import Commission

    if is_network_admin(user):
        return Commission.objects.all()
    return Commission.objects.filter(pk__in=scopes(user).secretariat)


# --- learning: partnerships ---------------------------------------------------------------
# Partnerships that have been agreed are public; proposals are seen by their parties, the
# facilitating commission's secretariat and the network administrators.


def visible_partnerships(user):
    """The partnerships this user may read, as a queryset."""
    from django.db.models import Q

    from learning.models import Partnership, PartnershipParty, PartnershipStatus

    if is_network_admin(user):
        return Partnership.objects.all()
    s = scopes(user)
    condition = ~Q(status=PartnershipStatus.PROPOSED)
    if s.secretariat:
        condition |= Q(facilitating_commission_id__in=s.secretariat)
    if s.representative:
        condition |= Q(
            pk__in=PartnershipParty.objects.filter(organisation_id__in=s.representative).values(
                "partnership_id"
            )
        )
    return Partnership.objects.filter(condition)


def _party_ids(partnership) -> set[int]:
    """The organisations of a partnership (callers prefetch `parties`)."""
    return {party.organisation_id for party in partnership.parties.all()}


def manages_partnership(user, partnership) -> bool:
    """Network administrators, and the secretariat of the facilitating commission."""
    if is_network_admin(user):
        return True
    commission_id = partnership.facilitating_commission_id
    return commission_id is not None and commission_id in scopes(user).secretariat


def is_partnership_party(user, partnership) -> bool:
    """Represents one of the partnership's organisations."""
    return bool(_party_ids(partnership) & scopes(user).representative)


def can_propose_partnership(user) -> bool:
    """Secretariats (for their commissions), and city officers (with their city as a party)."""
    s = scopes(user)
    return s.network_admin or bool(s.secretariat) or bool(s.representative)


def can_propose_partnership_with(user, commission, organisation_ids) -> bool:
    """A proposal is made by the facilitating commission's secretariat, or by a party."""
    s = scopes(user)
    if s.network_admin:
        return True
    if commission is not None and commission.pk in s.secretariat:
        return True
    return bool(set(organisation_ids) & s.representative)


def can_respond_to_partnership(user, party) -> bool:
    """A party's representatives answer a proposal for their organisation."""
    from learning.models import PartnershipStatus

    return (
        party.partnership.status == PartnershipStatus.PROPOSED
        and party.organisation_id in scopes(user).representative
    )


def can_change_partnership_status(user, partnership) -> bool:
    return manages_partnership(user, partnership)


def can_plan_partnership(user, partnership) -> bool:
    """Milestones and activities: the parties and the secretariat, while agreed or active."""
    from learning.models import PartnershipStatus

    if partnership.status not in (PartnershipStatus.AGREED, PartnershipStatus.ACTIVE):
        return False
    return manages_partnership(user, partnership) or is_partnership_party(user, partnership)


def can_view_partnership_reports(user, partnership) -> bool:
    """Monitoring reports stay within the partnership, its commission and the network."""
    if manages_partnership(user, partnership) or is_partnership_party(user, partnership):
        return True
    commission_id = partnership.facilitating_commission_id
    return commission_id is not None and commission_id in scopes(user).presidency


def can_file_report(user, partnership) -> bool:
    """A party files reports for its own partnerships, while they are active."""
    from learning.models import PartnershipStatus

    return partnership.status == PartnershipStatus.ACTIVE and is_partnership_party(
        user, partnership
    )


def can_revise_report(user, report) -> bool:
    from learning.models import ReportStatus

    return (
        report.status == ReportStatus.MORE_REQUESTED
        and report.organisation_id in scopes(user).representative
    )


def can_comment_report(user, report) -> bool:
    return manages_partnership(user, report.partnership)


def can_evaluate_partnership(user, partnership) -> bool:
    """Each party evaluates a partnership once it has ended."""
    from learning.models import PartnershipStatus

    return partnership.status in (
        PartnershipStatus.COMPLETED,
        PartnershipStatus.CLOSED_EARLY,
    ) and is_partnership_party(user, partnership)


def can_view_evaluations(user, partnership) -> bool:
    return can_view_partnership_reports(user, partnership)


def can_edit_outcomes(user, partnership) -> bool:
    from learning.models import PartnershipStatus

    return partnership.status != PartnershipStatus.PROPOSED and (
        manages_partnership(user, partnership) or is_partnership_party(user, partnership)
    )


def can_write_learning_note(user, partnership) -> bool:
    """The parties and the secretariat write the note once the partnership has ended."""
    from learning.models import PartnershipStatus

    if partnership.status not in (PartnershipStatus.COMPLETED, PartnershipStatus.CLOSED_EARLY):
        return False
    return manages_partnership(user, partnership) or is_partnership_party(user, partnership)


def can_publish_learning_note(user, note) -> bool:
    """The facilitating secretariat publishes a note to the knowledge base."""
    from learning.models import NoteStatus

    return note.status == NoteStatus.DRAFT and manages_partnership(user, note.partnership)


def can_view_learning_note(user, note) -> bool:
    from learning.models import NoteStatus

    if note.status == NoteStatus.PUBLISHED:
        return True
    return manages_partnership(user, note.partnership) or is_partnership_party(
        user, note.partnership
    )


def can_turn_roadmap_into_action(user, item, workstream) -> bool:
    """The facilitating secretariat adds a roadmap item to a workstream it manages."""
    return (
        item.note.status == "published"
        and manages_partnership(user, item.note.partnership)
        and can_manage_workstream(user, workstream)
    )


def visible_learning_notes(user):
    """The learning notes this user may read, as a queryset."""
    from django.db.models import Q

    from learning.models import LearningNote, NoteStatus

    if is_network_admin(user):
        return LearningNote.objects.all()
    s = scopes(user)
    condition = Q(status=NoteStatus.PUBLISHED)
    if s.secretariat:
        condition |= Q(partnership__facilitating_commission_id__in=s.secretariat)
    if s.representative:
        condition |= Q(partnership__parties__organisation_id__in=s.representative)
    return LearningNote.objects.filter(condition).distinct()


def partnerships_with_reports_for(user):
    """The partnerships whose reports this user may read (monitoring panels, the API)."""
    from django.db.models import Q

    from learning.models import Partnership, PartnershipParty

    if is_network_admin(user):
        return Partnership.objects.all()
    s = scopes(user)
    commissions = s.secretariat | s.presidency
    condition = Q(pk__in=[])
    if commissions:
        condition |= Q(facilitating_commission_id__in=commissions)
    if s.representative:
        condition |= Q(
            pk__in=PartnershipParty.objects.filter(organisation_id__in=s.representative).values(
                "partnership_id"
            )
        )
    return Partnership.objects.filter(condition)


# --- learning: groups ---------------------------------------------------------------------
# A learning group is run by its facilitating commission's secretariat and the network
# administrators. Public groups are read by everyone; a members-only group by its member
# organisations' representatives, its secretariat and the administrators. Dashboards: the
# programme-wide one for the administrators (the World Secretariat), a commission's for its
# secretariat and presidency.


def visible_learning_groups(user):
    """The learning groups this user may read, as a queryset."""
    from django.db.models import Q

    from learning.models import GroupMembership, GroupVisibility, LearningGroup

    if is_network_admin(user):
        return LearningGroup.objects.all()
    s = scopes(user)
    condition = Q(visibility=GroupVisibility.PUBLIC)
    if s.secretariat:
        condition |= Q(facilitating_commission_id__in=s.secretariat)
    if s.representative:
        condition |= Q(
            pk__in=GroupMembership.objects.filter(organisation_id__in=s.representative).values(
                "group_id"
            )
        )
    return LearningGroup.objects.filter(condition)


def can_create_learning_group(user) -> bool:
    """Administrators, and secretariats (for the commissions they run)."""
    return is_network_admin(user) or is_any_secretariat(user)


def learning_group_commissions(user):
    """The commissions this user may make a learning group's facilitator."""
    from commissions.models import Commission

    if is_network_admin(user):
        return Commission.objects.all()
    return Commission.objects.filter(pk__in=scopes(user).secretariat)


def can_manage_learning_group(user, group) -> bool:
    """Members, sessions and conclusions: the facilitating commission's secretariat."""
    s = scopes(user)
    return s.network_admin or group.facilitating_commission_id in s.secretariat


def can_edit_group_session(user, session) -> bool:
    """Whoever may record a group's sessions may correct them."""
    return can_manage_learning_group(user, session.group)


def can_edit_group_conclusion(user, conclusion) -> bool:
    """Whoever may record a group's conclusions may correct them."""
    return can_manage_learning_group(user, conclusion.group)


def can_turn_conclusion_into_action(user, conclusion, workstream) -> bool:
    """Whoever manages the group, into a workstream they manage, once per conclusion."""
    return (
        conclusion.action_id is None
        and can_manage_learning_group(user, conclusion.group)
        and can_manage_workstream(user, workstream)
    )


def action_workstreams_for(user):
    """The workstreams this user may add a conclusion's action to."""
    from actions.models import Workstream

    if is_network_admin(user):
        return Workstream.objects.all()
    return Workstream.objects.filter(commissions__in=scopes(user).secretariat).distinct()


def can_view_programme_dashboard(user) -> bool:
    """The programme-wide dashboard is the World Secretariat's (network administrators)."""
    return is_network_admin(user)


def can_view_commission_dashboard(user, commission: Commission) -> bool:
    s = scopes(user)
    return s.network_admin or commission.pk in s.secretariat or commission.pk in s.presidency


def dashboard_commissions(user):
    """The commissions whose learning dashboard this user may open."""
    from commissions.models import Commission

    if is_network_admin(user):
        return Commission.objects.all()
    s = scopes(user)
    return Commission.objects.filter(pk__in=s.secretariat | s.presidency)


def can_manage_monitoring_criteria(user) -> bool:
    """The network sets the self-assessment criteria and the indicators, for every partnership."""
    return is_network_admin(user)


# --- circulars ----------------------------------------------------------------------------
# A circular speaks in the network's name, or in the name of the commissions it names.
# - Drafting: network administrators draft anything; a secretariat drafts circulars on
#   behalf of commissions that include one of its own (joint circulars, like joint
#   meetings). Circulars in the network's own name are the administrators' alone.
# - Approving: whoever may speak for every name on it: network administrators always; a
#   secretariat only when it is the secretariat of every commission named (its own
#   commission's circulars). A joint circular of two commissions with two secretariats
#   is approved by the World Secretariat, as the seed's circular was sent by it.
# - Reading a draft: those who may draft it, and the presidencies of its commissions.
# - Nobody approves or sends what they cannot see: the approval check implies the view.
# Callers prefetch `circular.commissions`.


def can_create_circular(user) -> bool:
    s = scopes(user)
    return s.network_admin or bool(s.secretariat)


def can_open_circular_drafts(user) -> bool:
    """The list of drafts and sendings: those who write circulars and the presidencies
    who read their commissions' drafts."""
    s = scopes(user)
    return s.network_admin or bool(s.secretariat) or bool(s.presidency)


def can_draft_circular_for(user, commissions) -> bool:
    """May `user` write a circular on behalf of these commissions (none: the network)?"""
    s = scopes(user)
    if s.network_admin:
        return True
    ids = {commission.pk for commission in commissions}
    return bool(ids & s.secretariat)


def can_edit_circular(user, circular) -> bool:
    if circular.is_locked:
        return False
    return can_draft_circular_for(user, circular.commissions.all())


def can_view_circular(user, circular) -> bool:
    """The working view (drafts, audience, delivery log); the archive is public once sent."""
    s = scopes(user)
    if s.network_admin:
        return True
    ids = _commission_ids(circular)
    return bool(ids & (s.secretariat | s.presidency))


def can_approve_circular(user, circular) -> bool:
    s = scopes(user)
    if s.network_admin:
        return True
    ids = _commission_ids(circular)
    return bool(ids) and ids <= s.secretariat


def can_send_circular(user, circular) -> bool:
    """Start, stop and resume the sending of an approved circular; send a test."""
    return can_draft_circular_for(user, circular.commissions.all()) or can_approve_circular(
        user, circular
    )


def visible_circulars(user):
    """The circulars whose working view this user may open, as a queryset."""
    from django.db.models import Q

    from circulars.models import Circular

    s = scopes(user)
    if s.network_admin:
        return Circular.objects.all()
    ids = s.secretariat | s.presidency
    if not ids:
        return Circular.objects.none()
    return Circular.objects.filter(
        Q(
            pk__in=Circular.commissions.through.objects.filter(commission_id__in=ids).values(
                "circular_id"
            )
        )
    )


def can_view_deliveries(user, circular) -> bool:
    """The per-recipient delivery log: those who may send the circular."""
    return can_send_circular(user, circular)


def can_manage_suppressions(user) -> bool:
    """Recording bounces and reading the suppression list: the network administrators."""
    return is_network_admin(user)


# --- privacy -----------------------------------------------------------------------------
# Everyone may take their data away and delete their own account; network administrators
# delete an account on the person's request.


def can_delete_account(user, target) -> bool:
    if not is_authenticated(user):
        return False
    return user.pk == target.pk or is_network_admin(user)


# --- uploaded files ------------------------------------------------------------------
# A file is seen by whoever may see what it belongs to (uploads.downloads asks these).


def can_download_document_file(user, document_file) -> bool:
    return can_view_document(user, document_file.version.document)


def can_download_experience_attachment(user, attachment) -> bool:
    return can_view_experience(user, attachment.experience)


def can_download_action_update_attachment(user, update) -> bool:
    """The action plan and its log are public, as the action pages are."""
    return True


def can_download_meeting_report(user, report) -> bool:
    return can_view_meeting(user, report.meeting)


def can_download_organisation_import(user, job) -> bool:
    """An uploaded directory file is for the administrators who import."""
    return can_import_organisations(user)
