from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.shortcuts import render

from commissions.models import Commission
from network.models import Organisation, Region

from .start import start_page

HOME_COMMISSIONS = 30


def home(request):
    """The front page: what the network is, in figures, and where to go.

    A handful of aggregate queries whatever the size of the network.
    """
    members = Organisation.objects.members()
    figures = members.aggregate(
        organisations=Count("id"),
        countries=Count("country", distinct=True),
        population=Sum("population"),
    )
    per_region = dict(members.values_list("region").annotate(n=Count("id")).order_by())
    regions = list(Region.objects.all())
    for region in regions:
        region.member_count = per_region.get(region.pk, 0)
    commissions = list(Commission.objects.active().order_by("kind", "name")[:HOME_COMMISSIONS])
    commission_count = len(commissions)
    if commission_count == HOME_COMMISSIONS:
        commission_count = Commission.objects.active().count()
    context = {
        "figures": figures,
        "regions": regions,
        "commissions": commissions,
        "commission_count": commission_count,
    }
    return render(request, "home.html", context)


@login_required
def start(request):
    """The signed-in person's start page: what waits for them, by role."""
    return render(request, "start.html", {"start": start_page(request.user)})
