"""What the circular pages share: access to a circular and the page size."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from circulars import permissions

from ..models import Circular

PAGE_SIZE = 25


def _get_circular(request, pk) -> Circular:
    """The circular if the user may open its working view; 404 otherwise."""
    circular = Circular.objects.prefetch_related("commissions").filter(pk=pk).first()
    if circular is None or not permissions.can_view_circular(request.user, circular):
        raise Http404
    return circular


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
