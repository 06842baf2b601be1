"""A partnership proposed, the parties' answers and its status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import permissions as roles
from entrevilles.errors import add_service_errors
from entrevilles.integers import parse_id
from learning.models import Partnership, PartnershipStatus
from learning.needs.permissions import visible_learning_needs
from learning.partnerships import permissions, services
from learning.partnerships.forms import ProposalForm, StatusForm
from library import permissions as library_permissions
from library.models import Experience
from network.models import Organisation

from .common import _partnership_for


def _int(value) -> int | None:
    return parse_id(str(value)) if value else None


@login_required
def partnership_propose(request):
    """Propose a partnership; from a suggestion, ?need=&experience= or ?need=&organisation=
    prefill it: the need's city learns, the experience's city or the organisation mentors."""
    user = request.user
    if not permissions.can_propose_partnership(user):
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    need_ids = [i for i in map(_int, source.getlist("need") + source.getlist("needs")) if i]
    experience_ids = [
        i for i in map(_int, source.getlist("experience") + source.getlist("experiences")) if i
    ]
    needs = visible_learning_needs(user).filter(pk__in=need_ids).select_related("city")
    experiences = Experience.objects.filter(pk__in=experience_ids).select_related("city")
    experiences = [e for e in experiences if library_permissions.can_view_experience(user, e)]
    experience_qs = Experience.objects.filter(pk__in=[e.pk for e in experiences])
    if request.method == "POST":
        form = ProposalForm(request.POST, needs=needs, experiences=experience_qs)
        if form.is_valid():
            data = form.cleaned_data
            org_ids = [o.pk for o in list(data["learners"]) + list(data["mentors"])]
            if not permissions.can_propose_partnership_with(user, data["commission"], org_ids):
                raise PermissionDenied
            try:
                partnership = services.propose_partnership(
                    title=data["title"],
                    objectives=data["objectives"],
                    original_language=data["original_language"],
                    learners=data["learners"],
                    mentors=data["mentors"],
                    commission=data["commission"],
                    needs=data["needs"],
                    experiences=data["experiences"],
                    themes=data["themes"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    reporting_every_months=data["reporting_every_months"],
                    actor=user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                _tell_who_was_asked(request, partnership)
                return redirect(partnership)
        status = 400
    else:
        learners = {need.city_id for need in needs}
        mentors = {e.city_id for e in experiences}
        organisation = _int(request.GET.get("organisation"))
        if organisation and Organisation.objects.filter(pk=organisation).exists():
            mentors.add(organisation)
        mentors -= learners
        first_need = next(iter(needs), None)
        first_experience = next(iter(experiences), None)
        title = ""
        if first_need is not None:
            title = first_need.title
        elif first_experience is not None:
            title = first_experience.title
        secretariats = roles.secretariat_commission_ids(user)
        commission = None
        if len(secretariats) == 1:
            commission = next(iter(secretariats))
        form = ProposalForm(
            initial={
                "title": title,
                "original_language": (translation.get_language() or "en")[:2],
                "objectives": first_need.problem if first_need is not None else "",
                "learners": sorted(learners),
                "mentors": sorted(mentors),
                "needs": [n.pk for n in needs],
                "experiences": [e.pk for e in experiences],
                "commission": commission,
                "reporting_every_months": 3,
            },
            needs=needs,
            experiences=experience_qs,
        )
        status = 200
    return render(request, "learning/partnership_form.html", {"form": form}, status=status)


def _tell_who_was_asked(request, partnership: Partnership) -> None:
    """Say after a proposal who was asked to answer, and who cannot be reached."""
    parties = list(partnership.parties.select_related("organisation"))
    unreachable = services.unreachable_party_ids(parties)
    if partnership.status == PartnershipStatus.AGREED:
        messages.success(request, _("The partnership is agreed: every party has accepted."))
    elif unreachable:
        messages.warning(
            request,
            _(
                "The partnership was proposed, but nobody can receive it yet at %(organisations)s:"
                " no representative has an account. The secretariat can invite one from this page."
            )
            % {
                "organisations": ", ".join(
                    p.organisation.name for p in parties if p.pk in unreachable
                )
            },
        )
    else:
        messages.success(
            request, _("The partnership was proposed; the other parties are asked to answer.")
        )


@require_POST
@login_required
def partnership_respond(request, pk, party_pk):
    partnership = _partnership_for(request, pk)
    party = next((p for p in partnership.parties.all() if p.pk == party_pk), None)
    if party is None:
        raise Http404
    party.partnership = partnership
    if not permissions.can_respond_to_partnership(request.user, party):
        raise PermissionDenied
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        return HttpResponseBadRequest(_("Answer accept or decline."))
    try:
        services.respond_to_partnership(party, accept=answer == "accept", actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(partnership)
    if answer == "accept":
        messages.success(request, _("You accepted the partnership."))
    else:
        messages.success(request, _("You declined the partnership."))
    return redirect(partnership)


@require_POST
@login_required
def partnership_status(request, pk):
    partnership = _partnership_for(request, pk, permissions.can_change_partnership_status)
    form = StatusForm(request.POST, allowed=services.allowed_transitions(partnership))
    if not form.is_valid():
        messages.error(request, _("This status change is not possible now."))
        return redirect(partnership)
    try:
        services.change_partnership_status(
            partnership, form.cleaned_data["to"], note=form.cleaned_data["note"], actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The status was changed."))
    return redirect(partnership)
