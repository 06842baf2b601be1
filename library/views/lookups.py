"""The lookups of the document form: authors, meetings, workstreams and actions."""

import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from library import permissions
from network.models import Organisation

LOOKUP_FIELDS = ("authors", "meetings", "workstreams", "actions")
LOOKUP_LIMIT = 20


def _lookup_queryset(kind: str, text: str):
    from actions.models import Action, Workstream
    from meetings.models import Meeting
    from network.models import normalise_for_search

    if kind == "organisations":
        words = normalise_for_search(text).split()
        queryset = Organisation.objects.all()
        for word in words[:5]:
            queryset = queryset.filter(search_name__contains=word)
        return queryset.order_by("search_name", "id") if words else Organisation.objects.none()
    if kind == "meetings":
        return Meeting.objects.filter(title__icontains=text).order_by("-starts_at", "-id")
    if kind == "workstreams":
        return Workstream.objects.filter(title__icontains=text)
    if kind == "actions":
        return Action.objects.filter(title__icontains=text).order_by("-id")
    raise Http404


@login_required
def lookup(request, kind):
    """Checkboxes for up to 20 objects whose name contains the words typed (htmx)."""
    if not permissions.can_create_document(request.user):
        raise PermissionDenied
    field = request.GET.get("field", "")
    # A form prefix may precede the field's name ("item-12-actions").
    if not (re.fullmatch(r"[\w-]{1,60}", field) and field.endswith(LOOKUP_FIELDS)):
        return HttpResponseBadRequest(_("Unknown field."))
    text = request.GET.get("lookup-q", "").strip()[:100]
    found = list(_lookup_queryset(kind, text)[:LOOKUP_LIMIT]) if len(text) >= 2 else []
    return render(request, "library/_lookup.html", {"found": found, "field": field, "text": text})
