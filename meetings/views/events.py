"""External events and the network's representation at them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from entrevilles.errors import error_text
from meetings import permissions
from network.models import Organisation

from .. import pickers, services
from ..forms import ExternalEventForm, ReportBackForm, RepresentationForm
from ..models import ExternalEvent
from .common import _form_choices, _picker


def _get_event(pk) -> ExternalEvent:
    event = (
        ExternalEvent.objects.select_related("workstream")
        .prefetch_related("commissions")
        .filter(pk=pk)
        .first()
    )
    if event is None:
        raise Http404
    return event


def event_detail(request, pk):
    event = _get_event(pk)
    can_manage = permissions.can_manage_meeting(request.user, event)
    representations = list(
        event.representations.select_related("organisation", "person")
        .prefetch_related(
            Prefetch(
                "documents",
                pickers.visible_documents(request.user).order_by("-date", "-id"),
                to_attr="visible_documents",
            )
        )
        .order_by("id")
    )
    member_ids = Organisation.objects.filter(commissions__in=event.commissions.all()).values("pk")
    form = None
    if can_manage:
        form = RepresentationForm(
            request.POST if request.POST.get("action") == "represent" else None,
            organisations=Organisation.objects.filter(pk__in=member_ids),
        )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "represent":
                if not can_manage:
                    raise PermissionDenied
                if form.is_valid():
                    services.add_representation(
                        event,
                        organisation=form.cleaned_data["organisation"],
                        mandates=form.texts(),
                        actor=request.user,
                    )
                    messages.success(request, _("The representation is recorded."))
                    return redirect("meetings:event", pk=event.pk)
            elif action == "report_back":
                representation = next(
                    (r for r in representations if str(r.pk) == request.POST.get("representation")),
                    None,
                )
                if representation is None:
                    raise Http404
                representation.event = event
                if not permissions.can_report_back(request.user, representation):
                    raise PermissionDenied
                report = ReportBackForm(request.POST)
                if report.is_valid():
                    services.report_back(
                        representation, report.cleaned_data["report_back"], actor=request.user
                    )
                    messages.success(request, _("Your report back is saved."))
                    return redirect("meetings:event", pk=event.pk)
                messages.error(request, _("Write the report back."))
            elif action == "documents":
                representation = next(
                    (r for r in representations if str(r.pk) == request.POST.get("representation")),
                    None,
                )
                if representation is None:
                    raise Http404
                representation.event = event
                if not permissions.can_link_representation_documents(request.user, representation):
                    raise PermissionDenied
                return _save_representation_documents(request, event, representation)
            else:
                return HttpResponse(_("Unknown request."), status=400)
        except ValidationError as error:
            messages.error(request, error_text(error))
    for representation in representations:
        representation.event = event
        representation.can_report = permissions.can_report_back(request.user, representation)
        representation.can_link = permissions.can_link_representation_documents(
            request.user, representation
        )
        if representation.can_link:
            field = representation.picker_field = f"documents-{representation.pk}"
            if f"{field}-q" in request.GET:
                representation.picker = _picker(request, "documents", field)
            else:
                representation.picker = {
                    "query": "",
                    "chosen": representation.visible_documents,
                    "found": [],
                }
    return render(
        request,
        "meetings/event.html",
        {
            "event": event,
            "representations": representations,
            "form": form,
            "can_manage": can_manage,
        },
    )


def _save_representation_documents(request, event, representation):
    ids = pickers.ids_from(request.POST.getlist(f"documents-{representation.pk}"))
    chosen = list(pickers.visible_documents(request.user).filter(pk__in=ids))
    if len(chosen) != len(ids):
        return HttpResponse(_("Some of the chosen documents do not exist."), status=400)
    # Documents this user may not read stay linked: they cannot see them to untick them.
    hidden = representation.documents.exclude(
        pk__in=pickers.visible_documents(request.user).values("pk")
    )
    services.set_representation_documents(representation, [*chosen, *hidden], actor=request.user)
    messages.success(request, _("The documents are linked."))
    return redirect("meetings:event", pk=event.pk)


@login_required
def event_create(request):
    if not permissions.can_create_meeting(request.user):
        raise PermissionDenied
    commissions, _hosts = _form_choices(request.user)
    form = ExternalEventForm(request.POST or None, commissions=commissions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not permissions.can_create_meeting_for(request.user, data["commissions"]):
            raise PermissionDenied
        from actions.models import Workstream

        # Representation is the Presidency workstream's business when there is one.
        presidency = Workstream.objects.filter(
            commissions__in=data["commissions"], title_en__iexact="Presidency"
        ).first()
        event = services.create_external_event(
            titles={code: data[f"title_{code}"] for code in ("en", "fr", "es")},
            organiser=data["organiser"],
            place=data["place"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            url=data["url"],
            commissions=data["commissions"],
            workstream=presidency,
            actor=request.user,
        )
        messages.success(request, _("The event is recorded."))
        return redirect("meetings:event", pk=event.pk)
    return render(request, "meetings/event_form.html", {"form": form})
