"""What the library pages share: paging and access to an experience or a document."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404

from library import permissions

from ..models import Document, Experience

PER_PAGE = 20


def _page(request, queryset, number=None):
    """The page `number` (by default the one asked for) of `queryset`."""
    if number is None:
        number = request.GET.get("page")
    return Paginator(queryset, PER_PAGE).get_page(number)


def _experience_for(request, pk, check) -> Experience:
    """The experience if `check` allows it; 404 when the person may not even see it."""
    experience = get_object_or_404(
        Experience.objects.select_related("city__country", "contact"), pk=pk
    )
    if not permissions.can_view_experience(request.user, experience):
        raise Http404
    if not check(request.user, experience):
        raise PermissionDenied
    return experience


def _document_for(request, pk, check) -> Document:
    document = get_object_or_404(Document, pk=pk)
    if not permissions.can_view_document(request.user, document):
        raise Http404
    if not check(request.user, document):
        raise PermissionDenied
    return document
