"""Monitoring reports: written by the parties, read and commented on."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from entrevilles.errors import add_service_errors
from learning.models import MonitoringReport, Partnership
from learning.partnerships import permissions, services
from learning.partnerships.forms import CommentForm, ReportForm
from network.models import Organisation

from .common import _own_parties, _partnership_for


@login_required
def report_new(request, pk):
    partnership = _partnership_for(request, pk, permissions.can_file_report)
    periods = services.open_periods(partnership)
    own = Organisation.objects.filter(
        pk__in=[p.organisation_id for p in _own_parties(request.user, partnership)]
    )
    form = ReportForm(request.POST or None, periods=periods, organisations=own)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.file_report(
                    partnership,
                    organisation=data["organisation"],
                    period_start=datetime.date.fromisoformat(data["period"]),
                    progress=data["progress"],
                    difficulties=data["difficulties"],
                    next_steps=data["next_steps"],
                    scores=form.scores(),
                    indicator_values=form.indicator_values(),
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your report was filed."))
                return redirect(partnership)
    return render(
        request,
        "learning/report_form.html",
        {"form": form, "partnership": partnership},
        status=status,
    )


def _report_for(request, pk, report_pk) -> tuple[Partnership, MonitoringReport]:
    partnership = _partnership_for(request, pk)
    if not permissions.can_view_partnership_reports(request.user, partnership):
        raise Http404
    report = get_object_or_404(
        MonitoringReport.objects.select_related("organisation", "author", "commented_by"),
        pk=report_pk,
        partnership=partnership,
    )
    report.partnership = partnership
    return partnership, report


def report_detail(request, pk, report_pk):
    partnership, report = _report_for(request, pk, report_pk)
    user = request.user
    can_comment = permissions.can_comment_report(user, report)
    can_revise = permissions.can_revise_report(user, report)
    comment_form = CommentForm(initial={"comment": report.secretariat_comment})
    revise_form = None
    if can_revise:
        initial = {
            "progress": report.progress,
            "difficulties": report.difficulties,
            "next_steps": report.next_steps,
        }
        initial |= {f"score_{s.criterion_id}": s.score for s in report.scores.all()}
        initial |= {f"indicator_{v.indicator_id}": v.value for v in report.indicator_values.all()}
        revise_form = ReportForm(initial=initial, revising=True)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "comment":
            if not can_comment:
                raise PermissionDenied
            comment_form = CommentForm(request.POST)
            if comment_form.is_valid():
                try:
                    services.comment_report(report, actor=user, **comment_form.cleaned_data)
                except ValidationError as error:
                    add_service_errors(comment_form, error)
                else:
                    messages.success(request, _("Your comment was saved."))
                    return redirect("learning:report", pk=partnership.pk, report_pk=report.pk)
        elif action == "revise":
            if not can_revise:
                raise PermissionDenied
            revise_form = ReportForm(request.POST, revising=True)
            if revise_form.is_valid():
                data = revise_form.cleaned_data
                try:
                    services.revise_report(
                        report,
                        progress=data["progress"],
                        difficulties=data["difficulties"],
                        next_steps=data["next_steps"],
                        scores=revise_form.scores(),
                        indicator_values=revise_form.indicator_values(),
                        actor=user,
                    )
                except ValidationError as error:
                    add_service_errors(revise_form, error)
                else:
                    messages.success(request, _("Your report was sent again."))
                    return redirect("learning:report", pk=partnership.pk, report_pk=report.pk)
        else:
            return HttpResponseBadRequest(_("Unknown action."))
        status = 400
    return render(
        request,
        "learning/report_detail.html",
        {
            "partnership": partnership,
            "report": report,
            "scores": report.scores.select_related("criterion"),
            "values": report.indicator_values.select_related("indicator"),
            "can_comment": can_comment,
            "comment_form": comment_form,
            "revise_form": revise_form,
        },
        status=status,
    )
