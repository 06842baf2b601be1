"""Matchmaking pages: suggestions for a need, the needs an experience answers.

Both are fragments loaded by htmx into the need and experience pages once those are
shown, so that the ranking never slows the page itself; without JavaScript the same
views render a full page.
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from entrevilles.integers import parse_id
from learning.matching import concepts, engine, services
from learning.models import DismissalReason, SuggestionDismissal
from learning.needs.permissions import can_edit_learning_need, visible_learning_needs
from library.models import Experience, Status
from library.permissions import can_view_experience
from network.models import Organisation


class DismissalForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why set it aside?"), choices=DismissalReason.choices)
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=services.MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _need_for(request, pk):
    return get_object_or_404(
        visible_learning_needs(request.user).select_related("city__region"), pk=pk
    )


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _render_suggestions(request, need, status=200, form=None):
    found = engine.suggestions_for_need(need)
    lex = concepts.lexicon()
    context = {
        "need": need,
        "suggestions": found,
        "understood": lex.listed(found.concepts[:8]),
        "can_dismiss": can_edit_learning_need(request.user, need),
        "dismissed": list(
            SuggestionDismissal.objects.filter(need=need)
            .select_related("experience__city", "organisation")
            .order_by("-created_at", "-id")
        ),
        "form": form or DismissalForm(),
    }
    template = (
        "learning/_need_suggestions.html" if _is_htmx(request) else "learning/need_suggestions.html"
    )
    return render(request, template, context, status=status)


def need_suggestions(request, pk):
    """The ranked experiences and peer cities for a need, with their reasons."""
    return _render_suggestions(request, _need_for(request, pk))


@require_POST
def dismiss_suggestion(request, pk):
    """Set an experience (`experience`) or a peer city (`organisation`) aside, with a reason."""
    need = _need_for(request, pk)
    if not can_edit_learning_need(request.user, need):
        raise PermissionDenied
    experience = organisation = None
    if request.POST.get("experience"):
        experience = get_object_or_404(
            Experience, pk=_int_or_404(request.POST["experience"]), status=Status.PUBLISHED
        )
    elif request.POST.get("organisation"):
        organisation = get_object_or_404(Organisation, pk=_int_or_404(request.POST["organisation"]))
    form = DismissalForm(request.POST)
    if (experience is None and organisation is None) or not form.is_valid():
        return _render_suggestions(request, need, status=400, form=form)
    try:
        services.dismiss_suggestion(
            need,
            experience=experience,
            organisation=organisation,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except ValidationError:
        return _render_suggestions(request, need, status=400, form=form)
    if _is_htmx(request):
        return _render_suggestions(request, need)
    return redirect("learning:need_suggestions", pk=need.pk)


@require_POST
def restore_suggestion(request, pk, dismissal):
    """Take back a set-aside suggestion: it may be suggested again, and stops lowering others."""
    need = _need_for(request, pk)
    if not can_edit_learning_need(request.user, need):
        raise PermissionDenied
    item = get_object_or_404(SuggestionDismissal, pk=dismissal, need=need)
    services.restore_suggestion(item, actor=request.user)
    if _is_htmx(request):
        return _render_suggestions(request, need)
    return redirect("learning:need_suggestions", pk=need.pk)


def _int_or_404(value: str) -> int:
    from django.http import Http404

    number = parse_id(value)
    if number is None:
        raise Http404
    return number


def experience_needs(request, pk):
    """The cities whose needs (those the reader may see) this experience answers."""
    experience = get_object_or_404(Experience.objects.select_related("city__region"), pk=pk)
    if not can_view_experience(request.user, experience):
        from django.http import Http404

        raise Http404
    needs = engine.needs_answered_by(experience, visible_learning_needs(request.user))
    template = (
        "learning/_experience_needs.html" if _is_htmx(request) else "learning/experience_needs.html"
    )
    return render(request, template, {"experience": experience, "needs": needs})
