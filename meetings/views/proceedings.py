"""The proceedings of a meeting: its minutes and its report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from entrevilles.errors import error_text
from meetings import permissions

from .. import services
from ..forms import MinutesForm, ReportForm
from ..models import Minutes
from .common import _get_managed_meeting, _get_meeting_for_user


@login_required
def minutes(request, pk):
    meeting = _get_meeting_for_user(request, pk)
    if not permissions.can_read_meeting_drafts(request.user, meeting):
        raise PermissionDenied
    can_manage = permissions.can_manage_meeting(request.user, meeting)
    record = Minutes.objects.filter(meeting=meeting).first()
    form = MinutesForm(initial={"text": record.text if record else ""})
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        try:
            if request.POST.get("action") == "approve":
                services.approve_minutes(meeting, actor=request.user)
                messages.success(request, _("The minutes are approved and locked."))
                return redirect("meetings:minutes", pk=meeting.pk)
            form = MinutesForm(request.POST)
            if form.is_valid():
                services.save_minutes(meeting, form.cleaned_data["text"], actor=request.user)
                messages.success(request, _("The minutes are saved."))
                return redirect("meetings:minutes", pk=meeting.pk)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect("meetings:minutes", pk=meeting.pk)
    versions = record.versions.select_related("saved_by")[:50] if record else []
    return render(
        request,
        "meetings/minutes.html",
        {
            "meeting": meeting,
            "record": record,
            "form": form,
            "versions": versions,
            "can_manage": can_manage,
        },
    )


@login_required
def report(request, pk):
    meeting = _get_managed_meeting(request, pk)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.publish_report(
                meeting,
                language=data["language"],
                title=data["title"],
                text=data["text"],
                file=data["file"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error("file" if data["file"] else None, error)
        else:
            messages.success(request, _("The report is published."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/report_form.html",
        {"meeting": meeting, "form": form, "reports": meeting.reports.all()},
    )
