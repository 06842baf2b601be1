"""Pages of partnerships: proposal and answers, the plan, monitoring, the end and the note.

Each view finds the partnership through `visible_partnerships` (404 for the others),
asks learning.permissions (403) and calls one service.
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import permissions as roles
from accounts.models import Role
from entrevilles.errors import add_service_errors
from entrevilles.integers import parse_id
from learning import permissions
from learning.models import (
    Activity,
    LearningNote,
    MonitoringReport,
    Partnership,
    PartnershipParty,
    PartnershipStatus,
    RoadmapItem,
)
from learning.partnerships import services
from learning.partnerships.calendar import partnership_calendar
from learning.partnerships.forms import (
    ActivityForm,
    CommentForm,
    EvaluationForm,
    MilestoneForm,
    NoteForm,
    NoteMetaForm,
    OutcomeForm,
    OutcomesForm,
    ProposalForm,
    ReportForm,
    RoadmapActionForm,
    StatusForm,
)
from learning.permissions import visible_learning_needs, visible_partnerships
from library import permissions as library_permissions
from library.models import Experience
from network.models import Organisation, normalise_for_search

PER_PAGE = 25
LOOKUP_LIMIT = 20


def _partnership_for(request, pk, check=None) -> Partnership:
    partnership = get_object_or_404(
        visible_partnerships(request.user)
        .select_related("facilitating_commission")
        .prefetch_related(
            Prefetch("parties", queryset=PartnershipParty.objects.select_related("organisation"))
        ),
        pk=pk,
    )
    if check is not None and not check(request.user, partnership):
        raise PermissionDenied
    return partnership


def _own_parties(user, partnership):
    return [p for p in partnership.parties.all() if roles.represents_id(user, p.organisation_id)]


def partnership_list(request):
    """The partnerships one may see, by status."""
    partnerships = visible_partnerships(request.user).select_related("facilitating_commission")
    status = request.GET.get("status", "")
    if status in PartnershipStatus.values:
        partnerships = partnerships.filter(status=status)
    page = Paginator(partnerships.order_by("-created_at", "-id"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    parties = {}
    for party in PartnershipParty.objects.filter(
        partnership__in=[p.pk for p in page.object_list]
    ).select_related("organisation"):
        parties.setdefault(party.partnership_id, []).append(party)
    rows = [(p, parties.get(p.pk, [])) for p in page.object_list]
    return render(
        request,
        "learning/partnership_list.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": PartnershipStatus.choices,
            "can_propose": permissions.can_propose_partnership(request.user),
        },
    )


def partnership_detail(request, pk):
    partnership = _partnership_for(request, pk)
    user = request.user
    parties = list(partnership.parties.all())
    can_reports = permissions.can_view_partnership_reports(user, partnership)
    reports, periods_open, late = [], [], False
    if can_reports:
        reports = list(
            partnership.reports.select_related("organisation").prefetch_related(
                "scores__criterion", "indicator_values__indicator"
            )
        )
        periods_open = services.open_periods(partnership) if partnership.status == "active" else []
        due = partnership.next_report_due_on
        late = bool(due and partnership.status == "active" and due < services.late_since())
    note = LearningNote.objects.filter(partnership=partnership).first()
    if note is not None and not permissions.can_view_learning_note(user, note):
        note = None
    can_plan = permissions.can_plan_partnership(user, partnership)
    unreachable = services.unreachable_party_ids(parties)
    for party in parties:
        party.unreachable = party.pk in unreachable
        # A way to reach it: inviting a representative, for those who may.
        party.can_invite_representative = party.unreachable and roles.can_invite(
            user, Role.REPRESENTATIVE, organisation=party.organisation
        )
    context = {
        "partnership": partnership,
        "parties": parties,
        "answerable": [p for p in parties if permissions.can_respond_to_partnership(user, p)],
        "history": partnership.status_changes.select_related("changed_by"),
        "milestones": partnership.milestones.all(),
        "activities": partnership.activities.select_related("milestone").prefetch_related(
            "participants"
        ),
        "can_plan": can_plan,
        "activity_form": ActivityForm(partnership=partnership) if can_plan else None,
        "milestone_form": MilestoneForm() if can_plan else None,
        "transitions": [
            (value, PartnershipStatus(value).label)
            for value in services.allowed_transitions(partnership)
        ]
        if permissions.can_change_partnership_status(user, partnership)
        else [],
        "can_reports": can_reports,
        "reports": reports,
        "periods_open": periods_open,
        "late": late,
        "can_file_report": permissions.can_file_report(user, partnership) and bool(periods_open),
        "evaluations": partnership.evaluations.select_related("organisation")
        if permissions.can_view_evaluations(user, partnership)
        else [],
        "can_evaluate": permissions.can_evaluate_partnership(user, partnership),
        "can_edit_outcomes": permissions.can_edit_outcomes(user, partnership),
        "outcomes_form": OutcomesForm(initial={"outcomes": partnership.outcomes}),
        "note": note,
        "can_write_note": permissions.can_write_learning_note(user, partnership),
        "needs": visible_learning_needs(user)
        .filter(partnerships=partnership)
        .select_related("city"),
        "experiences": Experience.objects.published().filter(partnerships=partnership),
    }
    return render(request, "learning/partnership_detail.html", context)


@login_required
def partnership_lookup(request):
    """Checkboxes for up to 20 organisations whose name contains the words typed (htmx)."""
    if not permissions.can_propose_partnership(request.user):
        raise PermissionDenied
    field = request.GET.get("field", "")
    if field not in ("learners", "mentors"):
        return HttpResponseBadRequest(_("Unknown field."))
    text = request.GET.get("lookup-q", "").strip()[:100]
    words = normalise_for_search(text).split()[:5]
    found = []
    if len(text) >= 2 and words:
        queryset = Organisation.objects.all()
        for word in words:
            queryset = queryset.filter(search_name__contains=word)
        found = list(queryset.order_by("search_name", "id")[:LOOKUP_LIMIT])
    return render(request, "library/_lookup.html", {"found": found, "field": field, "text": text})


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


def _render_detail_with(request, partnership, **forms):
    for message in [e for form in forms.values() for e in _form_messages(form)]:
        messages.error(request, message)
    response = redirect(partnership)
    return response


def _form_messages(form) -> list[str]:
    out = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            out.append(f"{label}: {error}" if label else str(error))
    return out


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


# --- monitoring -----------------------------------------------------------------------


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


# --- the end --------------------------------------------------------------------------


@login_required
def evaluation(request, pk):
    partnership = _partnership_for(request, pk, permissions.can_evaluate_partnership)
    own = Organisation.objects.filter(
        pk__in=[p.organisation_id for p in _own_parties(request.user, partnership)]
    )
    form = EvaluationForm(request.POST or None, organisations=own)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.save_evaluation(partnership, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your evaluation was saved."))
                return redirect(partnership)
    return render(
        request,
        "learning/evaluation_form.html",
        {"form": form, "partnership": partnership},
        status=status,
    )


@require_POST
@login_required
def outcomes(request, pk):
    partnership = _partnership_for(request, pk, permissions.can_edit_outcomes)
    form = OutcomesForm(request.POST)
    if form.is_valid():
        services.set_outcomes(
            partnership, outcomes=form.cleaned_data["outcomes"], actor=request.user
        )
        messages.success(request, _("The outcomes were saved."))
        return redirect(partnership)
    return _render_detail_with(request, partnership, form=form)


LANGS = [code for code, _name in settings.LANGUAGES]


@login_required
def note_edit(request, pk):
    partnership = _partnership_for(request, pk, permissions.can_write_learning_note)
    note = LearningNote.objects.filter(partnership=partnership).first()
    if request.method == "POST":
        meta = NoteMetaForm(request.POST)
        texts = {code: NoteForm(request.POST, prefix=code) for code in LANGS}
        if meta.is_valid() and all(f.is_valid() for f in texts.values()):
            language = meta.cleaned_data["original_language"]
            try:
                services.save_learning_note(
                    partnership,
                    original_language=language,
                    texts=texts[language].cleaned_data,
                    translations={c: f.cleaned_data for c, f in texts.items() if c != language},
                    roadmap=meta.cleaned_data["roadmap"].splitlines(),
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(texts[language], error)
            else:
                messages.success(request, _("The learning note was saved."))
                return redirect("learning:note", pk=partnership.pk)
        status = 400
    else:
        language = note.original_language if note else (translation.get_language() or "en")[:2]
        roadmap = ""
        if note:
            roadmap = "\n".join(
                getattr(item, f"text_{note.original_language}") or "" for item in note.roadmap.all()
            )
        meta = NoteMetaForm(initial={"original_language": language, "roadmap": roadmap})
        texts = {
            code: NoteForm(
                prefix=code,
                initial={f: getattr(note, f"{f}_{code}") or "" for f in services.NOTE_FIELDS}
                if note
                else {},
            )
            for code in LANGS
        }
        status = 200
    language_names = dict(settings.LANGUAGES)
    return render(
        request,
        "learning/note_form.html",
        {
            "partnership": partnership,
            "meta": meta,
            "texts": [(code, language_names[code], form) for code, form in texts.items()],
        },
        status=status,
    )


def _note_for(request, pk) -> tuple[Partnership, LearningNote]:
    partnership = _partnership_for(request, pk)
    note = get_object_or_404(
        LearningNote.objects.select_related("document"), partnership=partnership
    )
    note.partnership = partnership
    if not permissions.can_view_learning_note(request.user, note):
        raise Http404
    return partnership, note


def note_detail(request, pk):
    partnership, note = _note_for(request, pk)
    items = list(note.roadmap.select_related("action"))
    can_action = note.status == "published" and permissions.manages_partnership(
        request.user, partnership
    )
    return render(
        request,
        "learning/note_detail.html",
        {
            "partnership": partnership,
            "note": note,
            "items": items,
            "can_edit": permissions.can_write_learning_note(request.user, partnership),
            "can_publish": permissions.can_publish_learning_note(request.user, note),
            "action_form": RoadmapActionForm() if can_action else None,
            "languages": services.note_languages(note),
        },
    )


@require_POST
@login_required
def note_publish(request, pk):
    partnership, note = _note_for(request, pk)
    if not permissions.can_publish_learning_note(request.user, note):
        raise PermissionDenied
    try:
        services.publish_learning_note(note, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The learning note is published in the knowledge base."))
    return redirect("learning:note", pk=partnership.pk)


def note_pdf(request, pk):
    """The note as PDF in the reader's language (or ?lang=)."""
    from learning.partnerships.pdf import render_note_pdf

    _partnership, note = _note_for(request, pk)
    language = request.GET.get("lang") or (translation.get_language() or "en")[:2]
    if language not in LANGS:
        language = "en"
    response = HttpResponse(render_note_pdf(note, language), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="learning-note-{pk}-{language}.pdf"'
    return response


@require_POST
@login_required
def roadmap_action(request, pk, item_pk):
    partnership, note = _note_for(request, pk)
    item = get_object_or_404(RoadmapItem, pk=item_pk, note=note)
    item.note = note
    form = RoadmapActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(_form_messages(form)))
        return redirect("learning:note", pk=partnership.pk)
    workstream = form.cleaned_data["workstream"]
    if not permissions.can_turn_roadmap_into_action(request.user, item, workstream):
        raise PermissionDenied
    try:
        services.turn_roadmap_item_into_action(
            item, workstream=workstream, due_date=form.cleaned_data["due_date"], actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The roadmap item is now an action of the action plan."))
    return redirect("learning:note", pk=partnership.pk)
