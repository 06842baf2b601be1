from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.models import AuditEntry
from audit.presentation import describe
from commissions import permissions
from entrevilles import fragments
from network import permissions as network_permissions
from network.models import Organisation, Person, Region, normalise_for_search

from . import services
from .forms import SEARCH_LIMIT, CommissionForm, OrganisationChoiceForm
from .models import Commission, CommissionKind, CommissionMembership, Presidency, Secretariat
from .templatetags.commissions_tags import organisation_url

# Fragments kept until their data changes (entrevilles.fragments; see commissions.apps).
MEMBER_COUNTS = "commissions:member-counts"
MEMBERS = "commissions:members"
LIST = "commissions:list"
# A commission's page as visitors see it (commission_detail).
PAGES = "commissions:pages"
PAGES_SECONDS = 600
# How many members each region lists on a commission page; the rest are one link away
# in the directory (a commission may have thousands of members).
MEMBERS_PER_REGION = 25
HISTORY_PAGE_SIZE = 50

KIND_HEADINGS = {
    CommissionKind.COMMISSION: gettext_lazy("Commissions"),
    CommissionKind.WORKING_GROUP: gettext_lazy("Working groups"),
    CommissionKind.COMMUNITY: gettext_lazy("Communities of practice"),
}


def _commission(slug: str) -> Commission:
    return get_object_or_404(Commission, slug=slug)


def _require(request, allowed: bool):
    """Anonymous readers of a protected page are sent to log in; others get 403."""
    if allowed:
        return None
    if request.method == "GET" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _current_presidencies():
    return Presidency.objects.current().select_related("organisation", "person")


def commission_member_counts() -> dict[int, int]:
    """Members per commission id: counting the 40,000 memberships of a full network took
    most of the list's time, so the counts are kept until a membership changes."""
    return fragments.remember(
        MEMBER_COUNTS,
        lambda: dict(
            CommissionMembership.objects.order_by()
            .values_list("commission_id")
            .annotate(n=Count("id"))
        ),
    )


@require_GET
def commission_list(request):
    """The commissions by kind, rendered once per language and day (presidencies begin
    and end on dates) and kept until a commission, a presidency, a membership or an
    organisation changes (commissions.apps)."""
    language = get_language() or settings.LANGUAGE_CODE
    content = fragments.remember(
        LIST,
        lambda: render_to_string("commissions/_list.html", {"groups": _list_groups()}, request),
        variant=f"{language}:{timezone.localdate().isoformat()}",
    )
    return render(
        request,
        "commissions/list.html",
        {"content": mark_safe(content)},  # noqa: S308 - our own template's output
    )


def _list_groups() -> list[dict]:
    commissions = (
        Commission.objects.active()
        .prefetch_related(
            Prefetch("presidencies", _current_presidencies(), to_attr="current_presidencies")
        )
        .order_by("name")
    )
    counts = commission_member_counts()
    by_kind = {kind: [] for kind in CommissionKind.values}
    for commission in commissions:
        commission.member_count = counts.get(commission.pk, 0)
        by_kind[commission.kind].append(commission)
    return [
        {"kind": kind, "heading": KIND_HEADINGS[kind], "commissions": items}
        for kind, items in by_kind.items()
        if items
    ]


def members_by_region(commission: Commission, per_region: int = MEMBERS_PER_REGION):
    """The commission's members per world region: counts by aggregation, and at most
    `per_region` members of each region (one query, a window function ranks them).

    Plain values in the reader's language, kept until a membership, an organisation, a
    country or a region changes (commissions.apps): a commission of thousands of members
    cost more to read and render than any other part of its page."""
    language = get_language() or settings.LANGUAGE_CODE
    return fragments.remember(
        MEMBERS,
        lambda: _members_by_region(commission, per_region),
        variant=f"{commission.pk}:{per_region}:{language}",
    )


def _members_by_region(commission: Commission, per_region: int) -> list[dict]:
    counts = dict(
        CommissionMembership.objects.filter(commission=commission)
        .order_by()
        .values_list("organisation__region_id")
        .annotate(n=Count("id"))
    )
    if not counts:
        return []
    listed = (
        Organisation.objects.filter(commission_memberships__commission=commission)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("region_id")],
                order_by=[F("search_name").asc(), F("id").asc()],
            )
        )
        .filter(rank__lte=per_region)
        .select_related("country")
        .order_by("region_id", "search_name", "id")
    )
    members: dict[int, list] = {}
    for organisation in listed:
        members.setdefault(organisation.region_id, []).append(
            {
                "pk": organisation.pk,
                "name": str(organisation.name),
                "url": organisation_url(organisation.pk),
                "country": {"name": str(organisation.country.name)},
            }
        )
    directory = reverse("network:directory")
    groups = []
    for region in Region.objects.filter(pk__in=counts):
        query = urlencode({"commission": commission.slug, "region": region.code})
        groups.append(
            {
                "region": {"name": str(region.name)},
                "count": counts[region.pk],
                "members": members.get(region.pk, []),
                "more": counts[region.pk] > per_region,
                "directory_url": f"{directory}?{query}",
            }
        )
    return groups


@require_GET
def commission_detail(request, slug):
    """A commission's page. What visitors (not signed in) see is the same for all of them:
    rendered once per language and day (presidencies begin and end on dates) and kept
    (PAGES) until the commission, its presidencies, secretariats, members or learning
    groups change (commissions.apps)."""
    if request.user.is_authenticated:
        commission = _commission(slug)
        title, content = str(commission.name), _commission_content(request, commission)
    else:
        title, content = fragments.for_visitors(
            request,
            PAGES,
            lambda: _visitors_page(request, slug),
            slug,
            timezone.localdate().isoformat(),
            timeout=PAGES_SECONDS,
        )
    return fragments.render_page(request, "commissions/detail.html", title, content)


def _visitors_page(request, slug) -> tuple[str | None, str]:
    """(title, HTML) of the page as visitors see it; (None, "") for no such commission."""
    commission = Commission.objects.filter(slug=slug).first()
    if commission is None:
        return None, ""
    return str(commission.name), _commission_content(request, commission)


def _commission_content(request, commission: Commission) -> str:
    """The HTML of the page's content for this reader."""
    today = timezone.localdate()
    presidencies = list(
        Presidency.objects.filter(commission=commission).select_related("organisation", "person")
    )
    current = [p for p in presidencies if p.is_current]
    past = sorted(
        (p for p in presidencies if p.end_date is not None and p.end_date < today),
        key=lambda p: p.end_date,
        reverse=True,
    )
    contacts = Person.objects.select_related("organisation").order_by("last_name", "first_name")
    secretariats = list(
        Secretariat.objects.filter(commission=commission)
        .select_related("organisation")
        .prefetch_related(Prefetch("contacts", contacts))
    )
    for secretariat in secretariats:
        secretariat.contact_cards = [
            {
                "person": person,
                "show_details": network_permissions.can_view_contact_details(request.user, person),
            }
            for person in secretariat.contacts.all()
        ]
    regions = members_by_region(commission)
    member_count = sum(group["count"] for group in regions)
    can_manage = permissions.can_manage_commission_members(request.user, commission)
    # The list of members, rendered once per commission, language and kind of reader
    # (those who manage the members get a Remove link each).
    language = get_language() or settings.LANGUAGE_CODE
    members_html = fragments.remember(
        MEMBERS,
        lambda: str(
            render_to_string(
                "commissions/_members.html",
                {
                    "commission": commission,
                    "regions": regions,
                    "member_count": member_count,
                    "can_manage_members": can_manage,
                },
            )
        ),
        variant=f"html:{commission.pk}:{language}:{can_manage}",
    )
    html = render_to_string(
        "commissions/_detail_content.html",
        {
            "commission": commission,
            "current_presidencies": current,
            "past_presidencies": past,
            "secretariats": secretariats,
            "regions": regions,
            "member_count": member_count,
            "region_count": len(regions),
            "can_manage_members": can_manage,
            "members_html": mark_safe(members_html),  # noqa: S308 - our own template's output
            "can_edit": permissions.can_edit_commission(request.user, commission),
            "can_view_history": permissions.can_view_commission_history(request.user, commission),
            "search_form": OrganisationChoiceForm(),
        },
        request,
    )
    return str(html)


def search_organisations(query: str, commission: Commission):
    """Organisations whose search name starts with `query` (accents and case ignored)."""
    prefix = normalise_for_search(query)
    if not prefix:
        return []
    # The range lets both SQLite and PostgreSQL use the index on search_name (a LIKE
    # prefix does not, with their default collations); startswith keeps the match exact.
    return list(
        Organisation.objects.filter(
            search_name__gte=prefix,
            search_name__lt=prefix + "\U0010ffff",
            search_name__startswith=prefix,
        )
        .select_related("country")
        .annotate(
            is_member=Exists(
                CommissionMembership.objects.filter(
                    commission=commission, organisation=OuterRef("pk")
                )
            )
        )
        .order_by("search_name", "id")[:SEARCH_LIMIT]
    )


@require_GET
def member_search(request, slug):
    """Organisations to add as members: a fragment for htmx, a full page without JS."""
    commission = _commission(slug)
    denied = _require(request, permissions.can_manage_commission_members(request.user, commission))
    if denied:
        return denied
    query = request.GET.get("q", "").strip()[:200]
    results = search_organisations(query, commission) if query else []
    template = (
        "commissions/_member_search_results.html"
        if request.headers.get("HX-Request")
        else "commissions/member_search.html"
    )
    return render(
        request,
        template,
        {"commission": commission, "query": query, "results": results},
    )


@require_POST
def add_member(request, slug):
    commission = _commission(slug)
    _require(request, permissions.can_manage_commission_members(request.user, commission))
    form = OrganisationChoiceForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "commissions/member_search.html",
            {"commission": commission, "query": "", "results": [], "form": form},
            status=400,
        )
    organisation = form.cleaned_data["organisation"]
    _membership, created = services.add_member(commission, organisation, actor=request.user)
    if created:
        messages.success(
            request,
            _("%(organisation)s is now a member of %(commission)s.")
            % {"organisation": organisation, "commission": commission},
        )
    else:
        messages.info(
            request,
            _("%(organisation)s already was a member of %(commission)s.")
            % {"organisation": organisation, "commission": commission},
        )
    return redirect(commission_url(commission, "members"))


@require_http_methods(["GET", "POST"])
def remove_member(request, slug, organisation_pk):
    commission = _commission(slug)
    denied = _require(request, permissions.can_manage_commission_members(request.user, commission))
    if denied:
        return denied
    membership = get_object_or_404(
        CommissionMembership.objects.select_related("organisation"),
        commission=commission,
        organisation_id=organisation_pk,
    )
    organisation = membership.organisation
    if request.method == "POST":
        services.remove_member(commission, organisation, actor=request.user)
        messages.success(
            request,
            _("%(organisation)s is no longer a member of %(commission)s.")
            % {"organisation": organisation, "commission": commission},
        )
        return redirect(commission_url(commission, "members"))
    return render(
        request,
        "commissions/remove_member.html",
        {"commission": commission, "organisation": organisation},
    )


@require_http_methods(["GET", "POST"])
def commission_edit(request, slug):
    commission = _commission(slug)
    denied = _require(request, permissions.can_edit_commission(request.user, commission))
    if denied:
        return denied
    # The form validates a copy; the service applies the changes to the real object.
    form = CommissionForm(request.POST or None, instance=Commission.objects.get(pk=commission.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_commission(
                commission,
                actor=request.user,
                **{field: form.cleaned_data[field] for field in form.changed_data},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The commission was saved."))
            return redirect("commissions:detail", commission.slug)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "commissions/edit.html", {"commission": commission, "form": form}, status=status
    )


@require_GET
def commission_history(request, slug):
    commission = _commission(slug)
    denied = _require(request, permissions.can_view_commission_history(request.user, commission))
    if denied:
        return denied
    entries = AuditEntry.objects.filter(commission=commission).select_related("actor")
    page = Paginator(entries, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "commissions/history.html",
        {"commission": commission, "page": page, "entries": describe(page.object_list)},
    )


def commission_url(commission: Commission, anchor: str = "") -> str:
    url = reverse("commissions:detail", args=[commission.slug])
    return f"{url}#{anchor}" if anchor else url
