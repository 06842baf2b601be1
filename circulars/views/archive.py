"""The public archive of sent circulars and "My circulars"."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from circulars import pages, permissions
from entrevilles import fragments
from entrevilles.languages import language_name
from library import permissions as library_permissions
from meetings import permissions as meetings_permissions

from .. import delivery, markup
from ..models import Circular, Delivery, DeliveryStatus
from .common import PAGE_SIZE


def archive(request):
    """Every sent circular, newest first. The list is the same for every reader: rendered
    once per page and language and kept (circulars.pages)."""
    asked = fragments.page_asked(request)
    content = fragments.remember(
        pages.ARCHIVE,
        lambda: _archive_content(asked),
        variant=f"{get_language() or settings.LANGUAGE_CODE}|{asked}",
        timeout=pages.KEPT_SECONDS,
    )
    return render(
        request,
        "circulars/archive.html",
        {
            "content": mark_safe(content),  # noqa: S308 - our own template's output
            "can_open_drafts": permissions.can_open_circular_drafts(request.user),
        },
    )


def _archive_content(asked: str) -> str:
    circulars = Circular.objects.sent().prefetch_related("commissions").order_by("-sent_at", "-id")
    page = Paginator(circulars, PAGE_SIZE).get_page(asked)
    # Without the request: the page links carry the page number alone, the same for
    # every reader whatever else their address holds.
    return str(render_to_string("circulars/_archive_content.html", {"page": page}))


def archive_detail(request, pk, language=None):
    """A sent circular in the language asked for (the reader's by default, else its
    original). What visitors see is rendered once per circular and language and kept
    (circulars.pages); a signed-in reader's links may include members-only meetings and
    documents, so their page is built for them."""
    wanted = language or request.LANGUAGE_CODE
    if wanted not in settings.LANGUAGE_CODES:
        raise Http404
    title, content = fragments.for_visitors(
        request,
        pages.CIRCULAR,
        lambda: _circular_content(request, pk, wanted),
        pk,
        wanted,
        timeout=pages.KEPT_SECONDS,
    )
    return fragments.render_page(request, "circulars/archive_detail.html", title, content)


def _circular_content(request, pk, wanted: str) -> tuple[str | None, str]:
    """(title, HTML) of the circular's archived page for this reader; (None, "") when it
    is not in the archive."""
    circular = Circular.objects.sent().prefetch_related("commissions").filter(pk=pk).first()
    if circular is None:
        return None, ""
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
    subject = circular.subject_in(shown)
    html = render_to_string(
        "circulars/_archive_detail_content.html",
        {
            "circular": circular,
            "language": shown,
            "wanted": wanted,
            "fallback": shown != wanted,
            "language_name": language_name(shown, in_sentence=True),
            "wanted_name": language_name(wanted, in_sentence=True),
            "subject": subject,
            "html": markup.render_html(circular.body_in(shown)),
            "versions_available": [(code, names[code]) for code in circular.languages],
            "meetings": meetings,
            "documents": documents,
            "actions": circular.actions.select_related("workstream"),
            "sender": delivery.sender_line(circular),
        },
        request,
    )
    return str(subject), str(html)


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
