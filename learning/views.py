from django.shortcuts import get_object_or_404, render

from accounts.permissions import visible_learning_needs


def need_detail(request, pk):
    need = get_object_or_404(visible_learning_needs(request.user).select_related("city"), pk=pk)
    return render(request, "learning/need_detail.html", {"need": need})
