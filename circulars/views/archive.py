"""The public archive of sent circulars and "My circulars"."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render

from circulars import permissions
from entrevilles.languages import language_name
from library import permissions as library_permissions
from meetings import permissions as meetings_permissions

from .. import delivery, markup
from ..models import Circular, Delivery, DeliveryStatus
from .common import PAGE_SIZE


def archive(request):
    circulars = Circular.objects.sent().prefetch_related("commissions").order_by("-sent_at", "-id")
    page = Paginator(circulars, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "circulars/archive.html",
        {"page": page, "can_open_drafts": permissions.can_open_circular_drafts(request.user)},
    )


def archive_detail(request, pk, language=None):
    circular = Circular.objects.sent().prefetch_related("commissions").filter(pk=pk).first()
    if circular is None:
        raise Http404
    wanted = language or request.LANGUAGE_CODE
    if wanted not in settings.LANGUAGE_CODES:
        raise Http404
    shown = circular.language_for(wanted)
    from library.models import Document

    documents = [
        d
        for d in Document.objects.filter(circulars=circular).prefetch_related("commissions")
        if library_permissions.can_view_document(request.user, d)
    ]
    meetings = [
        m for m in circular.meetings.all() if meetings_permissions.can_view_meeting(request.user, m)
    ]
    names = dict(settings.LANGUAGES)
    return render(
        request,
        "circulars/archive_detail.html",
        {
            "circular": circular,
            "language": shown,
            "wanted": wanted,
            "fallback": shown != wanted,
            "language_name": language_name(shown, in_sentence=True),
            "wanted_name": language_name(wanted, in_sentence=True),
            "subject": circular.subject_in(shown),
            "html": markup.render_html(circular.body_in(shown)),
            "versions_available": [(code, names[code]) for code in circular.languages],
            "meetings": meetings,
            "documents": documents,
            "actions": circular.actions.select_related("workstream"),
            "sender": delivery.sender_line(circular),
        },
    )


@login_required
def mine(request):
    """The circulars sent to the signed-in person's addresses."""
    addresses = {request.user.email.lower()}
    person = getattr(request.user, "person", None)
    if person is not None and person.email:
        addresses.add(person.email.lower())
    rows = (
        Delivery.objects.filter(email__in=addresses)
        .filter(Q(status=DeliveryStatus.SENT) | Q(status=DeliveryStatus.UNCONFIRMED))
        .select_related("circular")
        .order_by("-sent_at", "-id")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "circulars/mine.html", {"page": page})
