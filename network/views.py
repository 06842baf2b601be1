"""The directory's pages: thin views that ask network.permissions and call the services."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from entrevilles import counting, fragments
from entrevilles.errors import add_service_errors
from network import permissions

from . import services
from .choices import (
    DIRECTORY_RESULTS,
    DIRECTORY_RESULTS_SECONDS,
    ORGANISATION_PAGES,
    ORGANISATION_PAGES_SECONDS,
)
from .csv_format import export_lines
from .forms import DirectoryFilterForm, ImportForm, OrganisationForm, PersonForm
from .models import Organisation, OrganisationImport, OrganisationKind, Person, SizeClass

# The import page lists this many problems; the management command prints them all.
MAX_ERRORS_SHOWN = 1000


@dataclass
class DirectoryRow:
    pk: int
    name: str
    kind: str
    country: str
    region: str
    size_class: str
    population: str


@dataclass
class DirectoryPage:
    organisations: list[DirectoryRow]
    number: int
    per_page: int
    count: int | None
    has_next: bool
    estimated: bool = False  # "about" the count (entrevilles.counting)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def num_pages(self) -> int | None:
        if self.count is None:
            return None
        return max(1, -(-self.count // self.per_page))

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.organisations else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.organisations)


def _page_number(value: str | None) -> int:
    try:
        number = int(value or 1)
    except ValueError:
        return 1
    return min(max(number, 1), 100_000)


def directory_page(form: DirectoryFilterForm, page_number: int) -> DirectoryPage:
    """One page of the filtered directory, in three queries at most.

    The page's ids are read first (LIMIT per_page + 1, which also tells whether a next
    page exists), from the name index alone, so that a deep page does not join every
    skipped row; then those rows with their country and region. The total comes
    from the last page when it is reached, from the name search's own index when
    that is the only filter, or else from a COUNT that stops at
    settings.EXACT_COUNT_LIMIT, beyond which it is an estimate.
    """
    per_page = form.cleaned_data.get("per_page") or 25
    selected = form.filter(Organisation.objects.all())
    offset = (page_number - 1) * per_page
    ids = list(selected.values_list("pk", flat=True)[offset : offset + per_page + 1])
    has_next = len(ids) > per_page
    ids = ids[:per_page]
    organisations = _directory_rows(form, ids)
    if not has_next and (ids or page_number == 1):
        count = counting.total(selected, exact=offset + len(ids))
    else:
        count = counting.total(selected, exact=form.count_fast())
    return DirectoryPage(
        organisations, page_number, per_page, count.value, has_next, count.estimated
    )


def _directory_rows(form: DirectoryFilterForm, ids: list[int]) -> list[DirectoryRow]:
    """The rows of one page as display strings, in the reader's language.

    Plain values and the labels the filter form already holds: model instances with
    translated fields and per-row template filters cost ~1 ms a row, the query 0.1 ms.
    """
    if not ids:
        return []
    language = get_language() or settings.LANGUAGE_CODE
    order = [language] + [code for code in settings.LANGUAGE_CODES if code != language]
    found = {
        pk: rest
        for pk, *rest in Organisation.objects.rewrite(False)
        .filter(pk__in=ids)
        .values_list(
            "pk",
            "kind",
            "country_id",
            "region_id",
            "size_class",
            "population",
            "name",
            *(f"name_{code}" for code in order),
        )
    }
    kinds = dict(OrganisationKind.choices)
    sizes = dict(SizeClass.choices)
    countries = form.country_names_by_id()
    regions = form.region_names_by_id()
    rows = []
    for pk in ids:
        if pk not in found:
            continue
        kind, country_id, region_id, size_class, population, name, *names = found[pk]
        rows.append(
            DirectoryRow(
                pk=pk,
                name=next((value for value in names if value), name),
                kind=str(kinds.get(kind, kind)),
                country=countries.get(country_id, ""),
                region=regions.get(region_id, ""),
                size_class=str(sizes.get(size_class, "")),
                population=""
                if population is None
                else number_format(population, force_grouping=True),
            )
        )
    return rows


def directory(request):
    """The directory: search by name, filter, paginate; the results alone for htmx.

    What a query shows is rendered once and kept (DIRECTORY_RESULTS) until an
    organisation, a country, a region, a commission or a membership changes: a repeated
    query (the first page, a popular filter) costs a cache read."""
    can_export = permissions.can_export_directory(request.user)
    can_import = permissions.can_import_organisations(request.user)
    htmx = bool(
        request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
    )
    language = get_language() or settings.LANGUAGE_CODE
    key = f"{language}|{can_export}|{can_import}|{htmx}|{request.GET.urlencode()}"
    status, html = fragments.remember(
        DIRECTORY_RESULTS,
        lambda: _directory_content(request, htmx, can_export, can_import),
        variant=hashlib.sha256(key.encode()).hexdigest(),
        timeout=DIRECTORY_RESULTS_SECONDS,
    )
    html = mark_safe(html)  # noqa: S308 - our own templates' output
    if htmx:
        return HttpResponse(html, status=status)
    return render(request, "network/directory.html", {"content": html}, status=status)


def _directory_content(request, htmx: bool, can_export: bool, can_import: bool) -> tuple:
    """(status, HTML) of the directory for this query: the results alone for htmx."""
    form = DirectoryFilterForm(request.GET)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": None,
        "query": query.urlencode(),
        "base_url": reverse("network:directory"),
        "can_export": can_export,
        "can_import": can_import,
    }
    status = 400
    if form.is_valid():
        status = 200
        context["page"] = directory_page(form, _page_number(request.GET.get("page")))
    template = "network/_directory_results.html" if htmx else "network/_directory_content.html"
    return status, str(render_to_string(template, context, request))


def export_directory(request):
    """What the directory's filters select, as CSV in the import's format, streamed."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_export_directory(request.user):
        raise PermissionDenied
    form = DirectoryFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponse(
            "\n".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    organisations = form.filter(Organisation.objects.all())
    response = StreamingHttpResponse(
        export_lines(organisations), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="entrevilles-directory.csv"'
    return response


def organisation_detail(request, pk: int):
    """An organisation's page. What visitors (not signed in) see is the same for all of
    them: rendered once per language and kept (ORGANISATION_PAGES) until the
    organisation, its people, its memberships or a commission, country or region
    changes."""
    if request.user.is_authenticated:
        title, content = _organisation_content(request, pk)
    else:
        language = get_language() or settings.LANGUAGE_CODE
        title, content = fragments.remember(
            ORGANISATION_PAGES,
            lambda: _organisation_content(request, pk),
            variant=f"{pk}:{language}",
            timeout=ORGANISATION_PAGES_SECONDS,
        )
    if title is None:
        raise Http404
    return render(
        request,
        "network/organisation_detail.html",
        {"title": title, "content": mark_safe(content)},  # noqa: S308 - our template's output
    )


def _organisation_content(request, pk: int) -> tuple[str | None, str]:
    """(title, HTML) of the page's content for this reader; (None, "") when there is no
    such organisation."""
    organisation = Organisation.objects.select_related("country", "region").filter(pk=pk).first()
    if organisation is None:
        return None, ""
    memberships = organisation.commission_memberships.select_related("commission").order_by(
        "commission__name"
    )
    people = [
        (person, permissions.can_view_contact_details(request.user, person))
        for person in organisation.people.select_related("organisation")
    ]
    html = render_to_string(
        "network/_organisation_content.html",
        {
            "organisation": organisation,
            "memberships": memberships,
            "people": people,
            "can_edit": permissions.can_edit_organisation(request.user, organisation),
        },
        request,
    )
    return str(organisation.name), str(html)


def _forbidden_unless(request, allowed: bool):
    """Anonymous readers are sent to log in (on GET); anyone else not allowed gets a 403."""
    if allowed:
        return None
    if not request.user.is_authenticated and request.method == "GET":
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk: int):
    organisation = get_object_or_404(Organisation.objects.select_related("country"), pk=pk)
    refused = _forbidden_unless(
        request, permissions.can_edit_organisation(request.user, organisation)
    )
    if refused:
        return refused
    manage = permissions.can_manage_membership(request.user, organisation)
    if request.method == "POST":
        form = OrganisationForm(request.POST, can_manage_membership=manage)
        if form.is_valid():
            try:
                services.update_organisation(organisation, actor=request.user, **form.changes())
            except ValidationError as error:
                add_service_errors(form, error, {"name": "name_en", "country_id": "country"})
            else:
                messages.success(request, _("The organisation was saved."))
                return redirect("network:organisation", pk=organisation.pk)
    else:
        form = OrganisationForm(
            initial=OrganisationForm.initial_for(organisation), can_manage_membership=manage
        )
    return render(
        request,
        "network/organisation_form.html",
        {"organisation": organisation, "form": form},
        status=400 if form.errors else 200,
    )


def person_detail(request, pk: int):
    person = get_object_or_404(Person.objects.select_related("organisation__country"), pk=pk)
    return render(
        request,
        "network/person_detail.html",
        {
            "person": person,
            "show_contacts": permissions.can_view_contact_details(request.user, person),
            "can_edit": permissions.can_edit_person(request.user, person),
        },
    )


@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    person = get_object_or_404(Person.objects.select_related("organisation"), pk=pk)
    refused = _forbidden_unless(request, permissions.can_edit_person(request.user, person))
    if refused:
        return refused
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_person(form.instance, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The person was saved."))
            return redirect("network:person", pk=person.pk)
    return render(
        request,
        "network/person_form.html",
        {"person": person, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def import_organisations(request):
    """Network administrators upload a CSV file; the background worker imports it."""
    refused = _forbidden_unless(request, permissions.can_import_organisations(request.user))
    if refused:
        return refused
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.queue_organisation_import(
                form.cleaned_data["file"], actor=request.user, language=get_language()
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("network:import_status", pk=job.pk)
    return render(
        request,
        "network/import.html",
        {"form": form, "recent_imports": OrganisationImport.objects.all()[:5]},
        status=400 if form.errors else 200,
    )


def import_status(request, pk):
    """Where an import stands; the page refreshes itself until the worker has finished."""
    refused = _forbidden_unless(request, permissions.can_import_organisations(request.user))
    if refused:
        return refused
    job = get_object_or_404(OrganisationImport, pk=pk)
    return render(
        request,
        "network/import_status.html",
        {
            "job": job,
            "problems_shown": job.problems[:MAX_ERRORS_SHOWN],
            "problems_hidden": max(0, len(job.problems) - MAX_ERRORS_SHOWN),
        },
    )
