"""A circular drafted, from scratch or a meeting, its versions and its audience."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from circulars import permissions
from entrevilles.errors import add_service_errors
from meetings import permissions as meetings_permissions
from meetings.models import Meeting

from .. import audiences, delivery, markup, services
from ..forms import CircularForm, ScheduleForm, SegmentsForm, TestSendForm
from ..models import Circular, CircularStatus
from .common import PAGE_SIZE, _get_circular, _require


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
