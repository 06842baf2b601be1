"""The learning programme's dashboards (the World Secretariat's and each commission's), the
filtered list of partnerships they link to, and the world map of the network."""

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from commissions.models import Commission
from entrevilles import fragments
from learning import pages, permissions
from learning.dashboards import figures as dashboard
from learning.dashboards import mapsvg, worldmap
from learning.dashboards.figures import Filters
from learning.dashboards.permissions import dashboard_audience
from learning.models import Partnership, PartnershipStatus
from library.models import Theme
from network.models import Region


def _refuse(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _render_dashboard(request, *, commission_id=None):
    """The dashboard's page around its content, kept (`_kept_content`) for everyone who
    sees the same figures."""
    name, content = _kept_content(request, commission_id)
    return render(
        request,
        "learning/dashboard.html",
        {
            "commission_name": name,
            "content": mark_safe(content),  # noqa: S308 - our own template's output
        },
    )


def _kept_content(request, commission_id) -> tuple[str, str]:
    """(the commission's name, the dashboard's figures, tables and panels) as last
    rendered for this commission (or the whole programme), language, day (reports fall
    due and late by the date) and audience (what decides which groups and reports the
    reader may see), since a row they show last changed (learning.pages)."""
    parts = (
        "named",
        get_language() or settings.LANGUAGE_CODE,
        commission_id or "",
        timezone.localdate().isoformat(),
        dashboard_audience(request.user),
    )
    return fragments.remember(
        pages.DASHBOARDS,
        lambda: _named_content(request, commission_id),
        variant=hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest(),
        timeout=pages.KEPT_SECONDS,
    )


def _named_content(request, commission_id) -> tuple[str, str]:
    # Deleted since its address was read: not found, as it is now.
    commission = get_object_or_404(Commission, pk=commission_id) if commission_id else None
    return (str(commission.name) if commission else "", _dashboard_content(request, commission))


def _commission_id(slug: str) -> int | None:
    """The id of the commission of a dashboard's address: the slugs of every commission
    are kept until a commission changes, so that a kept dashboard is answered without
    reading the commission's row."""
    ids = fragments.remember(
        pages.DASHBOARD_COMMISSIONS, lambda: dict(Commission.objects.values_list("slug", "pk"))
    )
    return ids.get(slug)


def _dashboard_content(request, commission) -> str:
    filters = Filters(commission=commission.slug) if commission else Filters()
    partnerships = filters.apply(Partnership.objects.all())
    groups = filters.apply_to_groups(permissions.visible_learning_groups(request.user))
    context = {
        "commission": commission,
        "figures": dashboard.dashboard_figures(partnerships, groups),
        "filters": filters,
        "commissions": (
            list(
                permissions.dashboard_commissions(request.user)
                .only("slug", "name")
                .order_by("name")
            )
            if commission is None
            else None
        ),
    }
    return str(render_to_string("learning/_dashboard_content.html", context, request))


@gzip_page
@require_GET
def programme_dashboard(request):
    """The World Secretariat's view of the whole programme; a commission's secretariat or
    presidency is taken to its own commission's dashboard."""
    if permissions.can_view_programme_dashboard(request.user):
        return _render_dashboard(request)
    mine = list(permissions.dashboard_commissions(request.user).order_by("name")[:2])
    if len(mine) == 1:
        return redirect("learning:commission_dashboard", slug=mine[0].slug)
    if mine:
        return render(
            request,
            "learning/dashboard_choose.html",
            {"commissions": permissions.dashboard_commissions(request.user).order_by("name")},
        )
    return _refuse(request)


@gzip_page
@require_GET
def commission_dashboard(request, slug):
    commission_id = _commission_id(slug)
    if commission_id is None:
        raise Http404
    if not permissions.can_view_dashboard_of_commission(request.user, commission_id):
        return _refuse(request)
    return _render_dashboard(request, commission_id=commission_id)


@gzip_page
@require_GET
def partnership_list(request):
    """The partnerships behind a dashboard's bar: by status, theme, region, commission.
    What visitors see is rendered once per query and language (learning.pages)."""
    content = pages.for_visitors(
        request, pages.PARTNERSHIPS, lambda: _partnership_list_content(request)
    )
    return render(
        request,
        "learning/dashboard_partnerships.html",
        {"content": mark_safe(content)},  # noqa: S308 - our own template's output
    )


def _partnership_list_content(request) -> str:
    filters = Filters.from_query(request.GET)
    partnerships = (
        filters.apply(permissions.visible_partnerships(request.user))
        .select_related("facilitating_commission")
        .order_by("-created_at", "-id")
    )
    page = Paginator(partnerships, 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        **_filter_choices(),
        "query_string": urlencode(filters.as_dict()),
    }
    return str(render_to_string("learning/_dashboard_partnerships_content.html", context, request))


def _filter_choices():
    return {
        "statuses": PartnershipStatus.choices,
        "themes": list(Theme.objects.only("key", "label")),
        "regions": list(Region.objects.all()),
        "all_commissions": list(Commission.objects.only("slug", "name").order_by("name")),
    }


def _map(request):
    filters = Filters.from_query(request.GET)
    partnerships = filters.apply(permissions.visible_partnerships(request.user))
    groups = filters.apply_to_groups(permissions.visible_learning_groups(request.user))
    if filters.status or filters.region:
        # Groups have no status, and their members' region is not a filter of theirs.
        groups = groups.none()
    return filters, worldmap.map_data(partnerships, groups)


# The map is mostly numbers: compressed, it weighs a fifth.
@gzip_page
@require_GET
def world_map(request):
    """The world map; what visitors see is rendered once per query and language
    (learning.pages)."""
    content = pages.for_visitors(request, pages.MAP, lambda: _world_map_content(request))
    return render(
        request,
        "learning/map.html",
        {"content": mark_safe(content)},  # noqa: S308 - our own template's output
    )


def _world_map_content(request) -> str:
    filters, data = _map(request)
    density = worldmap.density() if request.GET.get("density", "1") == "1" else []
    context = {
        "filters": filters,
        "data": data,
        "density": density,
        "density_svg": mapsvg.svg_density(density),
        "links_svg": mapsvg.svg_links(data.links),
        "cities_svg": mapsvg.svg_cities(data.cities),
        "table_links": data.links[: worldmap.MAP_TABLE_LIMIT],
        "table_limit": worldmap.MAP_TABLE_LIMIT,
        "query_string": urlencode(filters.as_dict()),
        "view_height": worldmap.VIEW_HEIGHT,
        "width": worldmap.WIDTH,
        "height": worldmap.HEIGHT,
        **_filter_choices(),
    }
    return str(render_to_string("learning/_map_content.html", context, request))


@gzip_page
@require_GET
def world_outline(request):
    """The land under the map, the same for everyone: cached by browsers for a day."""
    width, height = worldmap.WIDTH, worldmap.HEIGHT
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}"><path d="{mapsvg.world_outline_path()}"'
        ' fill="#dfe6ec" stroke="#b8c4ce" stroke-width="0.4"/></svg>'
    )
    response = HttpResponse(svg, content_type="image/svg+xml")
    patch_cache_control(response, public=True, max_age=86400)
    return response


@gzip_page
@require_GET
def map_geojson(request):
    _filters, data = _map(request)
    return HttpResponse(worldmap.geojson(data), content_type="application/geo+json")
