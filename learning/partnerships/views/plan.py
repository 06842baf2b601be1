"""The plan of a partnership: milestones, activities and their calendar."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from entrevilles.errors import add_service_errors
from learning.models import Activity
from learning.partnerships import permissions, services
from learning.partnerships.calendar import partnership_calendar
from learning.partnerships.forms import ActivityForm, MilestoneForm, OutcomeForm

from .common import _partnership_for, _render_detail_with


@require_POST
@login_required
def milestone_add(request, pk):
    partnership = _partnership_for(request, pk, permissions.can_plan_partnership)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.add_milestone(partnership, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The milestone was added."))
            return redirect(partnership)
    return _render_detail_with(request, partnership, form=form)


@require_POST
@login_required
def activity_add(request, pk):
    partnership = _partnership_for(request, pk, permissions.can_plan_partnership)
    form = ActivityForm(request.POST, partnership=partnership)
    if form.is_valid():
        try:
            services.plan_activity(partnership, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The activity was added to the plan."))
            return redirect(partnership)
    return _render_detail_with(request, partnership, form=form)


@require_POST
@login_required
def activity_outcome(request, pk, activity_pk):
    partnership = _partnership_for(request, pk)
    if not (
        permissions.manages_partnership(request.user, partnership)
        or permissions.is_partnership_party(request.user, partnership)
    ):
        raise PermissionDenied
    activity = get_object_or_404(Activity, pk=activity_pk, partnership=partnership)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        services.record_activity_outcome(
            activity, outcome=form.cleaned_data["outcome"], actor=request.user
        )
        messages.success(request, _("The outcome was saved."))
        return redirect(partnership)
    return _render_detail_with(request, partnership, form=form)


def partnership_ics(request, pk):
    """The partnership's activities as an iCalendar file."""
    partnership = _partnership_for(request, pk)
    body = partnership_calendar(partnership)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="partnership-{partnership.pk}.ics"'
    return response
