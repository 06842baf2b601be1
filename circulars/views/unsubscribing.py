"""Unsubscribing from circulars, and the suppression list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from circulars import permissions

from .. import delivery, services
from ..forms import BounceForm
from ..models import Circular, Suppression, SuppressionReason
from .common import _require


@csrf_exempt  # RFC 8058 one-click: mail providers POST without a session; the signed token authorises
def unsubscribe(request, token):
    try:
        email, circular_id = delivery.read_unsubscribe_token(token)
    except signing.SignatureExpired:
        return render(
            request,
            "circulars/unsubscribe.html",
            {"error": _("This link has expired. Use the link of a more recent circular.")},
            status=400,
        )
    except signing.BadSignature:
        return render(
            request,
            "circulars/unsubscribe.html",
            {"error": _("This link is not valid. Copy the whole link from the circular.")},
            status=400,
        )
    done = Suppression.objects.filter(email=email, reason=SuppressionReason.UNSUBSCRIBED).exists()
    if request.method == "POST":
        services.suppress(
            email,
            reason=SuppressionReason.UNSUBSCRIBED,
            circular=Circular.objects.filter(pk=circular_id).first(),
            actor=None,
        )
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("Unsubscribed."), content_type="text/plain; charset=utf-8")
        done = True
    elif request.method != "GET":
        return HttpResponse(status=405)
    return render(request, "circulars/unsubscribe.html", {"email": email, "done": done})


@login_required
def suppressions(request):
    _require(permissions.can_manage_suppressions(request.user))
    form = BounceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for email in form.cleaned_data["emails"]:
            services.suppress(
                email,
                reason=SuppressionReason.BOUNCED,
                detail=form.cleaned_data["detail"],
                actor=request.user,
            )
        messages.success(
            request,
            _("%(count)s addresses recorded as bounced.")
            % {"count": len(form.cleaned_data["emails"])},
        )
        return redirect("circulars:suppressions")
    rows = Suppression.objects.all()
    query = request.GET.get("q", "").strip().lower()
    if query:
        rows = rows.filter(email__startswith=query)
    page = Paginator(rows.order_by("-created_at", "id"), 50).get_page(request.GET.get("page"))
    return render(
        request, "circulars/suppressions.html", {"form": form, "page": page, "query": query}
    )
