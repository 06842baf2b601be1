"""Circular pages: drafting, audience, approval and sending for secretariats; the public
archive; "My circulars"; unsubscribing."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.authentication import recent_check_required
from circulars import permissions
from entrevilles.errors import add_service_errors, error_text
from entrevilles.languages import language_name
from library import permissions as library_permissions
from meetings import permissions as meetings_permissions
from meetings.models import Meeting

from . import audiences, delivery, markup, services
from .forms import BounceForm, CircularForm, ScheduleForm, SegmentsForm, TestSendForm
from .models import (
    Circular,
    CircularStatus,
    Delivery,
    DeliveryStatus,
    Suppression,
    SuppressionReason,
)

PAGE_SIZE = 25


def _get_circular(request, pk) -> Circular:
    """The circular if the user may open its working view; 404 otherwise."""
    circular = Circular.objects.prefetch_related("commissions").filter(pk=pk).first()
    if circular is None or not permissions.can_view_circular(request.user, circular):
        raise Http404
    return circular


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@login_required
def circular_list(request):
    if not permissions.can_open_circular_drafts(request.user):
        raise PermissionDenied
    circulars = (
        permissions.visible_circulars(request.user)
        .prefetch_related("commissions")
        .order_by("-created_at", "-id")
    )
    status = request.GET.get("status")
    if status in CircularStatus.values:
        circulars = circulars.filter(status=status)
    page = Paginator(circulars, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "circulars/list.html",
        {
            "page": page,
            "statuses": CircularStatus.choices,
            "status": status,
            "can_create": permissions.can_create_circular(request.user),
        },
    )


def _form_values(form: CircularForm) -> dict:
    data = form.cleaned_data
    from actions.models import Action
    from library.models import Document

    documents = list(Document.objects.filter(pk__in=data["documents"]))
    actions = list(Action.objects.filter(pk__in=data["actions"]))
    if len(documents) != len(set(data["documents"])) or len(actions) != len(set(data["actions"])):
        raise ValidationError(_("Some of the documents or actions do not exist."))
    return {
        "kind": data["kind"],
        "commissions": list(data["commissions"]),
        "original_language": data["original_language"],
        "subjects": {code: data[f"subject_{code}"] for code in settings.LANGUAGE_CODES},
        "bodies": {code: data[f"body_{code}"] for code in settings.LANGUAGE_CODES},
        "meetings": list(data["meetings"]),
        "documents": documents,
        "actions": actions,
    }


@login_required
def circular_create(request):
    _require(permissions.can_create_circular(request.user))
    form = CircularForm(request.POST or None, initial={"original_language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            values = _form_values(form)
            if not permissions.can_draft_circular_for(request.user, values["commissions"]):
                raise ValidationError(
                    {
                        "commissions": _(
                            "You may write circulars only on behalf of your own commissions."
                        )
                    }
                )
            circular = services.create_circular(**values, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Draft saved. Now choose its audience."))
            return redirect("circulars:audience", circular.pk)
    return render(request, "circulars/form.html", {"form": form, "circular": None})


@login_required
def circular_edit(request, pk):
    circular = _get_circular(request, pk)
    _require(permissions.can_edit_circular(request.user, circular))
    initial = {
        "kind": circular.kind,
        "commissions": [c.pk for c in circular.commissions.all()],
        "original_language": circular.original_language,
        "meetings": list(circular.meetings.values_list("pk", flat=True)),
        "documents": ", ".join(str(pk) for pk in circular.documents.values_list("pk", flat=True)),
        "actions": ", ".join(str(pk) for pk in circular.actions.values_list("pk", flat=True)),
    }
    for code in settings.LANGUAGE_CODES:
        initial[f"subject_{code}"] = circular.subject_in(code)
        initial[f"body_{code}"] = circular.body_in(code)
    form = CircularForm(request.POST or None, initial=initial, meeting_ids=initial["meetings"])
    if request.method == "POST" and form.is_valid():
        try:
            values = _form_values(form)
            if not permissions.can_draft_circular_for(request.user, values["commissions"]):
                raise ValidationError(
                    {
                        "commissions": _(
                            "You may write circulars only on behalf of your own commissions."
                        )
                    }
                )
            services.update_circular(circular, **values, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Circular saved."))
            return redirect("circulars:detail", circular.pk)
    return render(request, "circulars/form.html", {"form": form, "circular": circular})


@login_required
def from_meeting(request, meeting_pk):
    """Draft a meeting-outcome circular from a meeting (its secretariats)."""
    meeting = Meeting.objects.prefetch_related("commissions").filter(pk=meeting_pk).first()
    if meeting is None or not meetings_permissions.can_view_meeting(request.user, meeting):
        raise Http404
    _require(
        meetings_permissions.can_manage_meeting(request.user, meeting)
        and permissions.can_draft_circular_for(request.user, meeting.commissions.all())
    )
    if request.method == "POST":
        language = request.POST.get("original_language")
        if language not in settings.LANGUAGE_CODES:
            messages.error(request, _("Choose English, French or Spanish."))
        else:
            circular = services.draft_from_meeting(
                meeting, original_language=language, actor=request.user
            )
            messages.success(
                request,
                _(
                    "A draft was written from the meeting's records in every language. Read it and edit it before sending."
                ),
            )
            return redirect("circulars:detail", circular.pk)
    return render(
        request,
        "circulars/from_meeting.html",
        {"meeting": meeting, "language_choices": settings.LANGUAGES},
    )


def _versions(circular: Circular):
    names = dict(settings.LANGUAGES)
    return [
        {
            "code": code,
            "name": names[code],
            "written": circular.has_language(code),
            "subject": circular.subject_in(code),
            "html": markup.render_html(circular.body_in(code))
            if circular.has_language(code)
            else "",
        }
        # The original first (shown open), then the other languages.
        for code in sorted(settings.LANGUAGE_CODES, key=lambda c: c != circular.original_language)
    ]


@login_required
def circular_detail(request, pk):
    circular = _get_circular(request, pk)
    user = request.user
    if circular.status == CircularStatus.SENDING:
        services.keep_going(circular)
    context = {
        "circular": circular,
        "versions": _versions(circular),
        "original_name": dict(settings.LANGUAGES)[circular.original_language],
        "events": circular.events.select_related("actor"),
        "segments": circular.segments.select_related("commission", "region", "meeting"),
        "meetings": circular.meetings.all(),
        "documents": circular.documents.all(),
        "actions": circular.actions.select_related("workstream"),
        "can_edit": permissions.can_edit_circular(user, circular),
        "can_approve": permissions.can_approve_circular(user, circular)
        and circular.status == CircularStatus.DRAFT,
        "can_send": permissions.can_send_circular(user, circular),
        "progress": delivery.progress(circular.pk) if circular.is_locked else None,
        "test_form": TestSendForm(initial={"language": circular.original_language}),
        "schedule_form": ScheduleForm(),
        "sender": delivery.sender_line(circular),
    }
    return render(request, "circulars/detail.html", context)


@login_required
def audience(request, pk):
    circular = _get_circular(request, pk)
    editable = permissions.can_edit_circular(request.user, circular)
    segments = list(
        circular.segments.select_related("commission", "region", "meeting").prefetch_related(
            "people"
        )
    )
    meeting_ids = [s.meeting_id for s in segments if s.meeting_id]
    include = SegmentsForm(
        request.POST or None,
        prefix="include",
        initial=SegmentsForm.initial_for(segments, exclude=False),
        meeting_ids=meeting_ids,
    )
    exclude = SegmentsForm(
        request.POST or None,
        prefix="exclude",
        initial=SegmentsForm.initial_for(segments, exclude=True),
        meeting_ids=meeting_ids,
    )
    if request.method == "POST":
        _require(editable)
        if include.is_valid() and exclude.is_valid():
            chosen = include.segments(exclude=False) + exclude.segments(exclude=True)
            try:
                services.set_audience(circular, chosen, actor=request.user)
            except ValidationError as error:
                include.add_error(None, error.messages)
            else:
                messages.success(request, _("Audience saved."))
                return redirect("circulars:audience", circular.pk)
    return render(
        request,
        "circulars/audience.html",
        {
            "circular": circular,
            "include": include,
            "exclude": exclude,
            "editable": editable,
            "preview": audiences.preview(circular, viewer=request.user),
            "segments": segments,
        },
    )


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


# --- public archive and "My circulars" ---------------------------------------------------------


def archive(request):
    circulars = Circular.objects.sent().prefetch_related("commissions").order_by("-sent_at", "-id")
    page = Paginator(circulars, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "circulars/archive.html",
        {"page": page, "can_open_drafts": permissions.can_open_circular_drafts(request.user)},
    )


def archive_detail(request, pk, language=None):
    circular = Circular.objects.sent().prefetch_related("commissions").filter(pk=pk).first()
    if circular is None:
        raise Http404
    wanted = language or request.LANGUAGE_CODE
    if wanted not in settings.LANGUAGE_CODES:
        raise Http404
    shown = circular.language_for(wanted)
    from library.models import Document

    documents = [
        d
        for d in Document.objects.filter(circulars=circular).prefetch_related("commissions")
        if library_permissions.can_view_document(request.user, d)
    ]
    meetings = [
        m for m in circular.meetings.all() if meetings_permissions.can_view_meeting(request.user, m)
    ]
    names = dict(settings.LANGUAGES)
    return render(
        request,
        "circulars/archive_detail.html",
        {
            "circular": circular,
            "language": shown,
            "wanted": wanted,
            "fallback": shown != wanted,
            "language_name": language_name(shown, in_sentence=True),
            "wanted_name": language_name(wanted, in_sentence=True),
            "subject": circular.subject_in(shown),
            "html": markup.render_html(circular.body_in(shown)),
            "versions_available": [(code, names[code]) for code in circular.languages],
            "meetings": meetings,
            "documents": documents,
            "actions": circular.actions.select_related("workstream"),
            "sender": delivery.sender_line(circular),
        },
    )


@login_required
def mine(request):
    """The circulars sent to the signed-in person's addresses."""
    addresses = {request.user.email.lower()}
    person = getattr(request.user, "person", None)
    if person is not None and person.email:
        addresses.add(person.email.lower())
    rows = (
        Delivery.objects.filter(email__in=addresses)
        .filter(Q(status=DeliveryStatus.SENT) | Q(status=DeliveryStatus.UNCONFIRMED))
        .select_related("circular")
        .order_by("-sent_at", "-id")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "circulars/mine.html", {"page": page})


# --- unsubscribing and the suppression list --------------------------------------------------


@csrf_exempt  # RFC 8058 one-click: mail providers POST without a session; the signed token authorises
def unsubscribe(request, token):
    try:
        email, circular_id = delivery.read_unsubscribe_token(token)
    except signing.SignatureExpired:
        return render(
            request,
            "circulars/unsubscribe.html",
            {"error": _("This link has expired. Use the link of a more recent circular.")},
            status=400,
        )
    except signing.BadSignature:
        return render(
            request,
            "circulars/unsubscribe.html",
            {"error": _("This link is not valid. Copy the whole link from the circular.")},
            status=400,
        )
    done = Suppression.objects.filter(email=email, reason=SuppressionReason.UNSUBSCRIBED).exists()
    if request.method == "POST":
        services.suppress(
            email,
            reason=SuppressionReason.UNSUBSCRIBED,
            circular=Circular.objects.filter(pk=circular_id).first(),
            actor=None,
        )
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("Unsubscribed."), content_type="text/plain; charset=utf-8")
        done = True
    elif request.method != "GET":
        return HttpResponse(status=405)
    return render(request, "circulars/unsubscribe.html", {"email": email, "done": done})


@login_required
def suppressions(request):
    _require(permissions.can_manage_suppressions(request.user))
    form = BounceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for email in form.cleaned_data["emails"]:
            services.suppress(
                email,
                reason=SuppressionReason.BOUNCED,
                detail=form.cleaned_data["detail"],
                actor=request.user,
            )
        messages.success(
            request,
            _("%(count)s addresses recorded as bounced.")
            % {"count": len(form.cleaned_data["emails"])},
        )
        return redirect("circulars:suppressions")
    rows = Suppression.objects.all()
    query = request.GET.get("q", "").strip().lower()
    if query:
        rows = rows.filter(email__startswith=query)
    page = Paginator(rows.order_by("-created_at", "id"), 50).get_page(request.GET.get("page"))
    return render(
        request, "circulars/suppressions.html", {"form": form, "page": page, "query": query}
    )
