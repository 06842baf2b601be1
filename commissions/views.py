from django.shortcuts import get_object_or_404, render

from .models import Commission


def commission_list(request):
    return render(request, "commissions/list.html", {"commissions": Commission.objects.active()})


def commission_detail(request, slug):
    commission = get_object_or_404(Commission, slug=slug)
    return render(request, "commissions/detail.html", {"commission": commission})
