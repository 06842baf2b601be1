"""The end of a partnership: evaluation, outcomes, the learning note and roadmap items."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from entrevilles.errors import add_service_errors
from learning.models import LearningNote, Partnership, RoadmapItem
from learning.partnerships import permissions, services
from learning.partnerships.forms import (
    EvaluationForm,
    NoteForm,
    NoteMetaForm,
    OutcomesForm,
    RoadmapActionForm,
)
from network.models import Organisation

from .common import _form_messages, _own_parties, _partnership_for, _render_detail_with


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
