"""The secretariat's tools: a meeting created, edited and managed, invitations, attendance."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commissions.models import Commission
from entrevilles.errors import error_text
from entrevilles.integers import parse_id
from meetings import permissions
from network.models import Organisation, Person

from .. import pickers, services
from ..forms import AgendaItemForm, DecisionForm, MeetingForm
from ..models import AgendaItem, ParticipationStatus
from .common import _form_choices, _get_managed_meeting, _get_meeting_for_user, _picker

# The manage page lists the latest invitations; the count says how many there are.
INVITATIONS_SHOWN = 200


def _meeting_values(data) -> dict:
    changes = {
        name: data[name]
        for name in (
            "host",
            "venue",
            "time_zone",
            "starts_at",
            "ends_at",
            "online_url",
            "status",
            "visibility",
            "capacity",
        )
    }
    for key, value in data.items():
        if key.startswith(("title_", "purpose_")):
            changes[key] = value
    return changes


@login_required
def meeting_create(request):
    if not permissions.can_create_meeting(request.user):
        raise PermissionDenied
    commissions, hosts = _form_choices(request.user)
    form = MeetingForm(request.POST or None, commissions=commissions, hosts=hosts)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not permissions.can_create_meeting_for(request.user, data["commissions"]):
            raise PermissionDenied
        values = _meeting_values(data)
        titles = {k[6:]: values.pop(k) for k in list(values) if k.startswith("title_")}
        purposes = {k[8:]: values.pop(k) for k in list(values) if k.startswith("purpose_")}
        try:
            meeting = services.create_meeting(
                commissions=data["commissions"],
                titles=titles,
                purposes=purposes,
                actor=request.user,
                **values,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting is created."))
            return redirect("meetings:manage", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "meeting": None})


@login_required
def meeting_edit(request, pk):
    meeting = _get_managed_meeting(request, pk)
    commissions, hosts = _form_choices(request.user)
    form = MeetingForm(
        request.POST or None,
        initial=MeetingForm.initial_from(meeting),
        commissions=Commission.objects.filter(
            Q(pk__in=commissions.values("pk")) | Q(meetings=meeting)
        ).distinct(),
        hosts=Organisation.objects.filter(Q(pk__in=hosts.values("pk")) | Q(pk=meeting.host_id)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(
                meeting,
                changes=_meeting_values(form.cleaned_data),
                commissions=form.cleaned_data["commissions"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect("meetings:manage", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "meeting": meeting})


@login_required
def manage(request, pk):
    """The secretariat's page: agenda, invitations, decisions, record."""
    meeting = _get_managed_meeting(request, pk)
    agenda_form = AgendaItemForm(prefix="agenda")
    decision_form = DecisionForm(prefix="decision")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add_agenda_item":
                agenda_form = AgendaItemForm(request.POST, prefix="agenda")
                if agenda_form.is_valid():
                    services.add_agenda_item(
                        meeting,
                        titles=agenda_form.texts(),
                        duration_minutes=agenda_form.cleaned_data["duration_minutes"],
                        actor=request.user,
                    )
                    messages.success(request, _("The agenda item is added."))
                    return redirect("meetings:manage", pk=meeting.pk)
            elif action in ("move_up", "move_down", "remove_item"):
                item = get_object_or_404(AgendaItem, pk=request.POST.get("item"), meeting=meeting)
                if action == "remove_item":
                    services.remove_agenda_item(item, actor=request.user)
                else:
                    offset = -1 if action == "move_up" else 1
                    services.move_agenda_item(item, offset=offset, actor=request.user)
                return redirect("meetings:manage", pk=meeting.pk)
            elif action == "invite_members":
                count = services.invite_commission_members(meeting, actor=request.user)
                messages.success(
                    request,
                    _("%(count)s organisations invited.") % {"count": count},
                )
                return redirect("meetings:manage", pk=meeting.pk)
            elif action == "add_decision":
                decision_form = DecisionForm(request.POST, prefix="decision")
                if decision_form.is_valid():
                    decision = services.record_decision(
                        meeting, texts=decision_form.texts(), actor=request.user
                    )
                    messages.success(
                        request,
                        _("Decision %(number)s is recorded.") % {"number": decision.number},
                    )
                    return redirect("meetings:manage", pk=meeting.pk)
            else:
                return HttpResponse(_("Unknown request."), status=400)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect("meetings:manage", pk=meeting.pk)
    participations = meeting.participations.select_related("person", "organisation").order_by(
        "status", "registered_at", "id"
    )
    page = Paginator(participations, 200).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/manage.html",
        {
            "meeting": meeting,
            "agenda": meeting.agenda_items.all(),
            "agenda_form": agenda_form,
            "decision_form": decision_form,
            "decisions": meeting.decisions.all(),
            "invitations": meeting.invitations.select_related("organisation", "person").order_by(
                "-invited_at", "-id"
            )[:INVITATIONS_SHOWN],
            "invitation_count": meeting.invitations.count(),
            "page": page,
        },
    )


@login_required
def picker(request, kind):
    """The htmx fragment of a picker: the ticked items, then matches of the words typed."""
    if kind not in pickers.KINDS:
        raise Http404
    field = request.GET.get("field", kind)
    if not re.fullmatch(rf"{kind}(-\d{{1,12}})?", field):
        return HttpResponse(_("Unknown field."), status=400)
    state = _picker(request, kind, field)
    return render(
        request,
        "meetings/_picker_results.html",
        {"kind": kind, "field": field, **state},
    )


@login_required
def invite(request, pk):
    """Invite chosen organisations and people; each gets the e-mail in their language."""
    meeting = _get_meeting_for_user(request, pk)
    if not permissions.can_invite_to_meeting(request.user, meeting):
        raise PermissionDenied
    if request.method == "POST":
        org_ids = pickers.ids_from(request.POST.getlist("organisations"))
        people_ids = pickers.ids_from(request.POST.getlist("people"))
        organisations = list(Organisation.objects.filter(pk__in=org_ids))
        people = list(Person.objects.filter(pk__in=people_ids))
        if len(organisations) != len(org_ids) or len(people) != len(people_ids):
            return HttpResponse(
                _("Some of the chosen organisations or people do not exist."), status=400
            )
        if not organisations and not people:
            messages.error(request, _("Tick the organisations or people to invite."))
            return redirect("meetings:invite", pk=meeting.pk)
        try:
            new = services.invite(
                meeting, organisations=organisations, people=people, actor=request.user
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect("meetings:invite", pk=meeting.pk)
        already = len(organisations) + len(people) - len(new)
        not_mailed = [invitation for invitation in new if invitation.no_address]
        mailed = len(new) - len(not_mailed)
        messages.success(
            request,
            ngettext(
                "%(count)s invitation sent by e-mail.",
                "%(count)s invitations sent by e-mail.",
                mailed,
            )
            % {"count": mailed}
            + (
                " "
                + ngettext(
                    "%(count)s was already invited.", "%(count)s were already invited.", already
                )
                % {"count": already}
                if already
                else ""
            ),
        )
        if not_mailed:
            messages.warning(request, services.no_address_message(not_mailed))
        return redirect("meetings:manage", pk=meeting.pk)
    return render(
        request,
        "meetings/invite.html",
        {
            "meeting": meeting,
            "organisations": _picker(request, "organisations", "organisations"),
            "people": _picker(request, "people", "people"),
        },
    )


@login_required
def attendance(request, pk):
    """Attendance on the day: tick who is present among the registered and waiting."""
    meeting = _get_managed_meeting(request, pk)
    participations = list(
        meeting.participations.exclude(status=ParticipationStatus.CANCELLED)
        .select_related("person", "organisation")
        .order_by("organisation__search_name", "person__last_name", "id")
    )
    if request.method == "POST":
        allowed = {p.person_id for p in participations}
        present = []
        for value in request.POST.getlist("present"):
            if parse_id(value) not in allowed:
                return HttpResponse(_("Unknown participant."), status=400)
            present.append(parse_id(value))
        result = services.record_attendance(meeting, present, actor=request.user)
        messages.success(
            request,
            _("Attendance saved: %(marked)s marked present, %(unmarked)s marked absent.") % result,
        )
        return redirect("meetings:attendance", pk=meeting.pk)
    return render(
        request,
        "meetings/attendance.html",
        {"meeting": meeting, "participations": participations},
    )
