"""Pages of learning needs: the list, a need, stating one, translating it, its status.

Thin views: each asks accounts.permissions and calls learning.needs.services.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import permissions as roles
from entrevilles.errors import add_service_errors
from entrevilles.integers import parse_id
from learning import pages
from learning.models import LearningMode, LearningNeed, NeedStatus, NeedStatusChange, NeedVisibility
from learning.needs import permissions, services
from learning.needs.forms import NeedFilterForm, NeedForm, NeedStatusForm, NeedTranslationForm
from network import permissions as network_permissions
from network.models import Organisation

PER_PAGE = 25
LANGUAGE_NAMES = dict(settings.LANGUAGES)


def _need_for(request, pk, check=None) -> LearningNeed:
    """The need if the person may read it (404 otherwise) and, with `check`, act on it (403)."""
    need = get_object_or_404(
        permissions.visible_learning_needs(request.user).select_related(
            "city__country", "city__region", "contact"
        ),
        pk=pk,
    )
    if check is not None and not check(request.user, need):
        raise PermissionDenied
    return need


def _filter(needs, data: dict):
    """The list's filters on a queryset of needs (region and size: the copies on the need)."""
    if data.get("status"):
        needs = needs.filter(status=data["status"])
    if data.get("language"):
        needs = needs.filter(original_language=data["language"])
    if data.get("region"):
        needs = needs.filter(region__code=data["region"])
    if data.get("size_class"):
        needs = needs.filter(size_class=data["size_class"])
    if data.get("theme"):
        needs = needs.filter(themes__key=data["theme"])
    if data.get("q"):
        words = Q()
        for code in settings.LANGUAGE_CODES:
            words |= Q(**{f"title_{code}__icontains": data["q"]})
            words |= Q(**{f"problem_{code}__icontains": data["q"]})
        needs = needs.filter(words)
    return needs


def _filtered_needs(user, data: dict):
    needs = permissions.visible_learning_needs(user)
    if data.get("mine"):
        needs = needs.filter(city_id__in=roles.represented_organisation_ids(user))
    return _filter(needs, data)


def _filtered_parts(user, data: dict) -> list:
    """The filtered needs as disjoint querysets that each read an index in date order.

    A city officer reads the published needs and the other needs of their own cities
    (accounts.permissions.visible_learning_needs): one condition "published or ours" would
    make the database sort every row; two parts are merged instead.
    """
    own = roles.represented_organisation_ids(user)
    if data.get("mine") or not own or permissions.can_see_private_learning_demand(user):
        return [_filtered_needs(user, data)]
    published = Q(visibility=NeedVisibility.PUBLISHED) & ~Q(status=NeedStatus.WITHDRAWN)
    visible = permissions.visible_learning_needs(user)
    return [
        _filter(LearningNeed.objects.published(), data),
        _filter(visible.filter(city_id__in=own).exclude(published), data),
    ]


class NeedIds:
    """Ids of needs, newest first, from disjoint querysets: what the Paginator pages through.

    With `limit`, the count stops there (`capped` then tells the page to say "at least"):
    counting every need that contains a word would read the whole table, while the page
    itself stops after its 25 rows.
    """

    def __init__(self, parts: list, limit: int | None = None):
        self.parts = [part.order_by("-created_at", "-id") for part in parts]
        self.limit = limit
        self.capped = False

    def count(self) -> int:
        if self.limit is None:
            return sum(part.count() for part in self.parts)
        total = sum(part[: self.limit + 1].count() for part in self.parts)
        self.capped = total > self.limit
        return min(total, self.limit)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[int]:
        if len(self.parts) == 1:
            return list(self.parts[0].values_list("pk", flat=True)[window])
        rows = []
        for part in self.parts:
            rows += part.values_list("created_at", "pk")[: window.stop]
        rows.sort(reverse=True)
        return [pk for _created, pk in rows[window]]


# A search by words counts its matches up to this number.
WORDS_COUNT_LIMIT = 1000


def need_list(request):
    """Needs the reader may see, filtered; ?mine=1 for a city officer's own city. What
    visitors see is rendered once per query and language (learning.pages)."""
    status, content = pages.for_visitors(request, pages.NEEDS, lambda: _need_list_content(request))
    return render(
        request,
        "learning/need_list.html",
        {"content": mark_safe(content)},  # noqa: S308 - our own template's output
        status=status,
    )


def _need_list_content(request) -> tuple[int, str]:
    """(status, HTML) of the list for this reader and query."""
    form = NeedFilterForm(request.GET)
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        ids = NeedIds(
            _filtered_parts(request.user, data), WORDS_COUNT_LIMIT if data.get("q") else None
        )
    else:
        status = 400
        ids = NeedIds([LearningNeed.objects.none()])
    page = Paginator(ids, PER_PAGE).get_page(request.GET.get("page"))
    # The page's ids come from the date index alone; only those rows are then read with
    # their city and themes, so that a deep page does not sort or join every row.
    ids_shown = list(page.object_list)
    rows = {
        need.pk: need
        for need in LearningNeed.objects.filter(pk__in=ids_shown)
        .select_related("city__country")
        .prefetch_related("themes")
    }
    page.object_list = [rows[pk] for pk in ids_shown if pk in rows]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "count_capped": ids.capped,
        "query": query.urlencode(),
        "reader_language": get_language(),
        "language_names": LANGUAGE_NAMES,
        "can_state": permissions.can_state_learning_needs(request.user),
        "is_officer": bool(roles.represented_organisation_ids(request.user)),
    }
    return status, str(render_to_string("learning/_need_list_content.html", context, request))


def _shown_language(request, need: LearningNeed) -> str:
    """The language asked for (?lang=), else the reader's if translated, else the original."""
    available = need.translation_languages()
    shown = request.GET.get("lang")
    if shown in available:
        return shown
    reader = get_language()
    return reader if reader in available else need.original_language


def need_detail(request, pk):
    need = _need_for(request, pk)
    return render(request, "learning/need_detail.html", _detail_context(request, need))


def _detail_context(request, need: LearningNeed, status_form: NeedStatusForm | None = None):
    shown = _shown_language(request, need)
    user = request.user
    history = NeedStatusChange.objects.filter(need=need).select_related("changed_by__person")
    modes = dict(LearningMode.choices)
    priorities = need.agenda_priorities.select_related("commission").order_by("-adopted_on")
    context = {
        "need": need,
        "shown": shown,
        "texts": {
            field: getattr(need, f"{field}_{shown}") or ""
            for field in ("title", "problem", "context")
        },
        "text_languages": [(code, LANGUAGE_NAMES[code]) for code in need.translation_languages()],
        "missing_languages": [
            (code, name)
            for code, name in settings.LANGUAGES
            if code not in need.translation_languages()
        ],
        "original_language_name": translation.get_language_info(need.original_language)[
            "name_translated"
        ],
        "themes": need.themes.all(),
        "sdgs": need.sdgs.all(),
        "learning_modes": [modes.get(code, code) for code in need.learning_modes],
        "working_languages": [LANGUAGE_NAMES.get(code, code) for code in need.working_languages],
        "history": history,
        "priorities": priorities,
        "can_edit": permissions.can_edit_learning_need(user, need),
        "can_translate": permissions.can_translate_learning_need(user, need),
        "can_change_status": permissions.can_change_learning_need_status(user, need),
        "show_names": permissions.can_see_who_changed_learning_needs(user),
        "show_contact": need.contact is not None
        and network_permissions.can_view_contact_details(user, need.contact),
        "status_form": status_form or NeedStatusForm(initial={"status": need.status}),
    }
    return context


def _cities_for(user):
    """The cities the person may state needs for, and whether to ask for a number instead."""
    if permissions.can_state_needs_for_any_city(user):
        return Organisation.objects.governments(), True
    return Organisation.objects.filter(pk__in=roles.represented_organisation_ids(user)), False


@login_required
def need_create(request):
    """One short page; the need and its first history line are saved together or not at all."""
    if not permissions.can_state_learning_needs(request.user):
        raise PermissionDenied
    cities, by_number = _cities_for(request.user)
    initial = {"original_language": get_language(), "working_languages": [get_language()]}
    if (city := parse_id(request.GET.get("city"))) is not None:
        initial["city"] = city
    elif not by_number:
        initial["city"] = cities.values_list("pk", flat=True).first()
    form = NeedForm(request.POST or None, cities=cities, by_number=by_number, initial=initial)
    if request.method == "POST" and form.is_valid():
        city = form.cleaned_data["city"]
        if not permissions.can_create_learning_need(request.user, city):
            raise PermissionDenied
        try:
            need = services.create_need(
                city=city,
                original_language=form.cleaned_data["original_language"],
                texts=form.texts(),
                themes=form.cleaned_data["themes"],
                sdgs=form.cleaned_data["sdgs"],
                contact=form.cleaned_data["contact"],
                learning_modes=form.cleaned_data["learning_modes"],
                working_languages=form.cleaned_data["working_languages"],
                urgency=form.cleaned_data["urgency"],
                visibility=form.cleaned_data["visibility"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your city's need was saved."))
            return redirect(need)
    status = 400 if request.method == "POST" else 200
    only_city = None if by_number else list(cities[:2])
    context = {
        "form": form,
        "creating": True,
        "only_city": only_city[0] if only_city and len(only_city) == 1 else None,
    }
    return render(request, "learning/need_form.html", context, status=status)


@login_required
def need_edit(request, pk):
    need = _need_for(request, pk, permissions.can_edit_learning_need)
    language = need.original_language
    initial = {
        "original_language": language,
        "title": getattr(need, f"title_{language}"),
        "problem": getattr(need, f"problem_{language}"),
        "context": getattr(need, f"context_{language}"),
        "themes": list(need.themes.all()),
        "sdgs": list(need.sdgs.all()),
        "contact": need.contact_id,
        "learning_modes": need.learning_modes,
        "working_languages": need.working_languages,
        "urgency": need.urgency,
        "visibility": need.visibility,
    }
    form = NeedForm(request.POST or None, initial=initial, city=need.city)
    form.fields["original_language"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.update_need(
                need,
                language=language,
                texts=form.texts(),
                themes=form.cleaned_data["themes"],
                sdgs=form.cleaned_data["sdgs"],
                details={
                    name: form.cleaned_data[name]
                    for name in (
                        "learning_modes",
                        "working_languages",
                        "urgency",
                        "visibility",
                        "contact",
                    )
                },
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The need was saved."))
            return redirect(need)
    status = 400 if request.method == "POST" else 200
    return render(request, "learning/need_form.html", {"form": form, "need": need}, status=status)


@login_required
def need_translate(request, pk, language):
    need = _need_for(request, pk, permissions.can_translate_learning_need)
    if language not in settings.LANGUAGE_CODES or language == need.original_language:
        raise Http404
    initial = {
        field: getattr(need, f"{field}_{language}") for field in ("title", "problem", "context")
    }
    form = NeedTranslationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.translate_need(need, language=language, texts=form.texts(), actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The translation was saved."))
            return redirect(f"{need.get_absolute_url()}?lang={language}")
    context = {
        "form": form,
        "need": need,
        "language_name": LANGUAGE_NAMES[language],
        "original": {
            field: getattr(need, f"{field}_{need.original_language}")
            for field in ("title", "problem", "context")
        },
        "original_language_name": LANGUAGE_NAMES[need.original_language],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "learning/need_translate.html", context, status=status)


@login_required
@require_POST
def need_status(request, pk):
    need = _need_for(request, pk, permissions.can_change_learning_need_status)
    form = NeedStatusForm(request.POST)
    if form.is_valid():
        try:
            services.change_need_status(
                need,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The status was changed."))
            return redirect(need)
    context = _detail_context(request, need, status_form=form)
    return render(request, "learning/need_detail.html", context, status=400)
