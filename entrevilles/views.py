from django.shortcuts import render

from commissions.models import Commission
from network.models import Organisation, Region


def home(request):
    """The front page: what the network is, in figures, and where to go."""
    context = {
        "organisation_count": Organisation.objects.count(),
        "regions": Region.objects.all(),
        "commissions": Commission.objects.active().order_by("name")[:12],
    }
    return render(request, "home.html", context)
