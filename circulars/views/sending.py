"""Approval and sending: schedule, test, stop and resume, progress and deliveries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.authentication import recent_check_required
from circulars import permissions
from entrevilles.errors import error_text

from .. import audiences, delivery, services
from ..forms import ScheduleForm, TestSendForm
from ..models import CircularStatus, Delivery, DeliveryStatus
from .common import _get_circular, _require


def _act(request, pk, check, action, success: str, target="circulars:detail"):
    circular = _get_circular(request, pk)
    _require(check(request.user, circular))
    try:
        result = action(circular)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, success % {"result": result} if "%(result)" in success else success
        )
    return redirect(target, circular.pk)


@login_required
@require_POST
@recent_check_required
def approve(request, pk):
    return _act(
        request,
        pk,
        permissions.can_approve_circular,
        lambda c: services.approve_circular(c, actor=request.user),
        _("Circular approved: it can now be sent."),
    )


@login_required
@require_POST
@recent_check_required
def send(request, pk):
    return _act(
        request,
        pk,
        permissions.can_send_circular,
        lambda c: services.start_sending(c, actor=request.user),
        _("Sending started to %(result)s recipients."),
    )


@login_required
@require_POST
def stop(request, pk):
    return _act(
        request,
        pk,
        permissions.can_send_circular,
        lambda c: services.stop_sending(c, actor=request.user),
        _("Sending stopped. Resume it when you are ready."),
    )


@login_required
@require_POST
def resume(request, pk):
    return _act(
        request,
        pk,
        permissions.can_send_circular,
        lambda c: services.resume_sending(c, actor=request.user),
        _("Sending resumed."),
    )


@login_required
@require_POST
def delete(request, pk):
    circular = _get_circular(request, pk)
    _require(permissions.can_edit_circular(request.user, circular))
    try:
        services.delete_circular(circular, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("circulars:detail", circular.pk)
    messages.success(request, _("Circular deleted."))
    return redirect("circulars:list")


@login_required
@require_POST
def schedule(request, pk):
    circular = _get_circular(request, pk)
    _require(permissions.can_send_circular(request.user, circular))
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a date and time."))
    else:
        try:
            services.schedule_circular(
                circular, form.cleaned_data["scheduled_for"], actor=request.user
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Circular scheduled."))
    return redirect("circulars:detail", circular.pk)


@login_required
@require_POST
def test_send(request, pk):
    circular = _get_circular(request, pk)
    _require(permissions.can_send_circular(request.user, circular))
    form = TestSendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose English, French or Spanish."))
    else:
        try:
            services.send_test(
                circular,
                email=request.user.email,
                language=form.cleaned_data["language"],
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request,
                _("A test copy is on its way to %(email)s.") % {"email": request.user.email},
            )
    return redirect("circulars:detail", circular.pk)


@login_required
def progress(request, pk):
    """The progress bar, polled by htmx while the circular is being sent."""
    circular = _get_circular(request, pk)
    if circular.status == CircularStatus.SENDING:
        services.keep_going(circular)
    return render(
        request,
        "circulars/_progress.html",
        {"circular": circular, "progress": delivery.progress(circular.pk)},
    )


@login_required
def resend_unconfirmed(request, pk):
    """The unconfirmed deliveries, with their Message-IDs to look up in the relay's log,
    and the confirmed request to send them again."""
    circular = _get_circular(request, pk)
    _require(permissions.can_send_circular(request.user, circular))
    if request.method == "POST" and "message_ids" in request.POST:
        try:
            count = services.confirm_delivered(
                circular, request.POST.get("message_ids", "")[:200_000], actor=request.user
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect("circulars:resend_unconfirmed", circular.pk)
        messages.success(
            request,
            ngettext(
                "%(count)s delivery found in the mail server's log is marked as sent.",
                "%(count)s deliveries found in the mail server's log are marked as sent.",
                count,
            )
            % {"count": count},
        )
        return redirect("circulars:resend_unconfirmed", circular.pk)
    if request.method == "POST":
        try:
            count = services.resend_unconfirmed(
                circular, actor=request.user, confirmed=request.POST.get("confirm") == "yes"
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect("circulars:resend_unconfirmed", circular.pk)
        messages.success(
            request,
            ngettext(
                "%(count)s unconfirmed delivery is queued again.",
                "%(count)s unconfirmed deliveries are queued again.",
                count,
            )
            % {"count": count},
        )
        return redirect("circulars:detail", circular.pk)
    rows = (
        Delivery.objects.filter(circular=circular, status=DeliveryStatus.UNCONFIRMED)
        .select_related("person")
        .only(
            "email", "name", "language", "updated_at", "smtp_reply", "circular_id", "person_id",
            *audiences.DELIVERY_PERSON_FIELDS,
        )
    )  # fmt: skip
    page = Paginator(rows.order_by("id"), 50).get_page(request.GET.get("page"))
    domain = delivery.Renderer.message_domain()
    for row in page:
        row.message_id_header = row.message_id(domain)
        audiences.hide_private_address(request.user, row)
    return render(
        request,
        "circulars/resend_unconfirmed.html",
        {"circular": circular, "page": page},
    )


@login_required
def deliveries(request, pk):
    circular = _get_circular(request, pk)
    _require(permissions.can_view_deliveries(request.user, circular))
    rows = (
        Delivery.objects.filter(circular=circular)
        .select_related("person")
        .only(
            "email", "name", "language", "status", "attempts", "sent_at", "smtp_reply",
            "updated_at", "circular_id", "person_id", *audiences.DELIVERY_PERSON_FIELDS,
        )
    )  # fmt: skip
    status = request.GET.get("status")
    if status in DeliveryStatus.values:
        rows = rows.filter(status=status)
    query = request.GET.get("q", "").strip().lower()
    if query:
        rows = rows.filter(email__startswith=query)
    page = Paginator(rows.order_by("id"), 50).get_page(request.GET.get("page"))
    for row in page:
        audiences.hide_private_address(request.user, row)
    return render(
        request,
        "circulars/deliveries.html",
        {
            "circular": circular,
            "page": page,
            "statuses": DeliveryStatus.choices,
            "status": status,
            "query": query,
            "progress": delivery.progress(circular.pk),
        },
    )
