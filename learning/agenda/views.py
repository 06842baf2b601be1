"""The learning agenda: demand, supply and gaps; the priorities commissions adopt."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from commissions.models import Commission
from entrevilles.csv_export import csv_writer
from learning import pages, permissions
from learning.agenda.figures import Agenda, AgendaFilters, column_chart
from learning.models import AgendaPriority
from learning.needs import services
from learning.needs.forms import AgendaFilterForm, AgendaPriorityEditForm, AgendaPriorityForm
from meetings.models import Meeting

TABLES = ("themes", "regions", "size_classes", "periods", "gaps")


def _agenda_for(request) -> tuple[Agenda | None, AgendaFilterForm]:
    """The agenda for the filters asked for; the secretariat's counts private needs too."""
    form = AgendaFilterForm(request.GET)
    if not form.is_valid():
        return None, form
    filters = AgendaFilters(
        theme=form.cleaned_data["theme"],
        region=form.cleaned_data["region"],
        size_class=form.cleaned_data["size_class"],
        period=form.cleaned_data["period"] or "year",
        include_private=permissions.can_see_private_learning_demand(request.user),
    )
    return Agenda(filters), form


def agenda(request):
    """Demand and supply at a glance, the gaps, and the commissions' priorities. What
    visitors see is rendered once per query and language (learning.pages)."""
    status, content = pages.for_visitors(request, pages.AGENDA, lambda: _agenda_content(request))
    return render(
        request,
        "learning/agenda.html",
        {"content": mark_safe(content)},  # noqa: S308 - our own template's output
        status=status,
    )


def _agenda_content(request) -> tuple[int, str]:
    """(status, HTML) of the agenda for this reader and query."""
    agenda, form = _agenda_for(request)
    if agenda is None:
        return 400, str(render_to_string("learning/_agenda_content.html", {"form": form}, request))
    query = request.GET.copy()
    query.pop("table", None)
    commissions = (
        Commission.objects.filter(agenda_priorities__isnull=False)
        .annotate(priorities=Count("agenda_priorities"))
        .order_by("name")
    )
    by_period = agenda.by_period()
    context = {
        "form": form,
        "agenda": agenda,
        "totals": agenda.totals(),
        "by_theme": agenda.by_theme(),
        "by_region": agenda.by_region(),
        "by_size_class": agenda.by_size_class(),
        "by_period": by_period,
        "period_chart": column_chart(by_period),
        "gaps": agenda.gaps()[:25],
        "query": query.urlencode(),
        "commissions": commissions,
        "includes_private": agenda.filters.include_private,
    }
    return 200, str(render_to_string("learning/_agenda_content.html", context, request))


def agenda_csv(request):
    """One table of the agenda as CSV: ?table=themes|regions|size_classes|periods|gaps."""
    table = request.GET.get("table", "themes")
    if table not in TABLES:
        return HttpResponseBadRequest(_("Unknown table."))
    agenda, form = _agenda_for(request)
    if agenda is None:
        return HttpResponseBadRequest(_("Unknown filter value."))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="learning-agenda-{table}.csv"'
    writer = csv_writer(response)
    if table == "gaps":
        writer.writerow(
            ["theme", "theme_label", "region", "region_label", "size_class", "size_class_label",
             "demand", "supply_elsewhere"]
        )  # fmt: skip
        for line in agenda.gaps():
            extra = line.extra
            writer.writerow(
                [line.key, line.label, extra["region_code"], extra["region"], extra["size_code"],
                 extra["size_class"], line.demand, extra["elsewhere"]]
            )  # fmt: skip
        return response
    lines = {
        "themes": agenda.by_theme,
        "regions": agenda.by_region,
        "size_classes": agenda.by_size_class,
        "periods": agenda.by_period,
    }[table]()
    writer.writerow(["key", "label", "demand", "supply", "gap"])
    for line in lines:
        writer.writerow([line.key, line.label, line.demand, line.supply, int(line.is_gap)])
    return response


def commission_agenda(request, slug):
    """A commission's priorities, each with the needs behind it and their cities."""
    commission = get_object_or_404(Commission, slug=slug)
    visible = permissions.visible_learning_needs(request.user)
    priorities = (
        AgendaPriority.objects.filter(commission=commission)
        .select_related("meeting")
        .prefetch_related(
            "themes",
            Prefetch(
                "needs",
                queryset=visible.select_related("city__country").order_by("city__name", "id"),
                to_attr="shown_needs",
            ),
        )
        .annotate(need_count=Count("needs"))
        .order_by("position", "-adopted_on", "id")
    )
    context = {
        "commission": commission,
        "priorities": priorities,
        "can_adopt": permissions.can_adopt_agenda_priority(request.user, commission),
        # Every priority on this page is the commission's: one check for them all.
        "can_edit": permissions.can_edit_agenda_priority(
            request.user, AgendaPriority(commission=commission)
        ),
    }
    return render(request, "learning/agenda_commission.html", context)


@login_required
def priority_create(request, slug):
    commission = get_object_or_404(Commission, slug=slug)
    if not permissions.can_adopt_agenda_priority(request.user, commission):
        raise PermissionDenied
    meetings = Meeting.objects.filter(commissions=commission).order_by("-starts_at")
    initial = {
        "original_language": get_language(),
        "adopted_on": timezone.localdate(),
        "needs": request.GET.get("needs", ""),
    }
    form = AgendaPriorityForm(
        request.POST or None,
        meetings=meetings,
        visible_needs=permissions.visible_learning_needs(request.user),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.create_agenda_priority(
                commission=commission,
                original_language=data["original_language"],
                texts={"title": data["title"], "description": data["description"]},
                needs=data["needs"],
                themes=data["themes"],
                meeting=data["meeting"],
                adopted_on=data["adopted_on"],
                actor=request.user,
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("The priority was added to the agenda."))
            return redirect("learning:agenda_commission", slug=commission.slug)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "commission": commission, "needs_url": reverse("learning:needs")}
    return render(request, "learning/agenda_priority_form.html", context, status=status)


@login_required
def priority_edit(request, pk):
    """The commission's secretariat changes a priority's text (in any language), themes
    and the needs that justify it."""
    priority = get_object_or_404(AgendaPriority.objects.select_related("commission"), pk=pk)
    if not permissions.can_edit_agenda_priority(request.user, priority):
        raise PermissionDenied
    language = request.POST.get("original_language") or request.GET.get("lang")
    if language not in {code for code, _name in settings.LANGUAGES}:
        language = priority.original_language
    initial = {
        "original_language": language,
        "title": getattr(priority, f"title_{language}") or "",
        "description": getattr(priority, f"description_{language}") or "",
        "themes": list(priority.themes.all()),
        "needs": ", ".join(
            str(pk) for pk in priority.needs.order_by("pk").values_list("pk", flat=True)
        ),
    }
    form = AgendaPriorityEditForm(
        request.POST or None,
        visible_needs=permissions.visible_learning_needs(request.user),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_agenda_priority(
                priority,
                language=data["original_language"],
                texts={"title": data["title"], "description": data["description"]},
                needs=data["needs"],
                themes=data["themes"],
                actor=request.user,
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("The priority was saved."))
            return redirect(
                f"{reverse('learning:agenda_commission', args=[priority.commission.slug])}"
                f"#priority-{priority.pk}"
            )
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "commission": priority.commission,
        "priority": priority,
        "needs_url": reverse("learning:needs"),
    }
    return render(request, "learning/agenda_priority_form.html", context, status=status)
