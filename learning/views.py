from django.http import Http404
from django.shortcuts import get_object_or_404, render

from accounts.permissions import visible_learning_needs, visible_partnerships


def need_detail(request, pk):
    need = get_object_or_404(visible_learning_needs(request.user).select_related("city"), pk=pk)
    return render(request, "learning/need_detail.html", {"need": need})


def partnership_detail(request, pk):
    partnership = get_object_or_404(
        visible_partnerships(request.user).select_related("facilitating_commission"), pk=pk
    )
    return render(request, "learning/partnership_detail.html", {"partnership": partnership})


def partnership_propose(request):
    """Propose a partnership, prefilled from ?need=&experience=&organisation= (to come)."""
    raise Http404
