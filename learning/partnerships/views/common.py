"""What the partnership pages share: access to a partnership, one's parties, form errors."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect

from accounts import permissions as roles
from learning.models import Partnership, PartnershipParty
from learning.partnerships.permissions import visible_partnerships


def _partnership_for(request, pk, check=None) -> Partnership:
    partnership = get_object_or_404(
        visible_partnerships(request.user)
        .select_related("facilitating_commission")
        .prefetch_related(
            Prefetch("parties", queryset=PartnershipParty.objects.select_related("organisation"))
        ),
        pk=pk,
    )
    if check is not None and not check(request.user, partnership):
        raise PermissionDenied
    return partnership


def _own_parties(user, partnership):
    return [p for p in partnership.parties.all() if roles.represents_id(user, p.organisation_id)]


def _render_detail_with(request, partnership, **forms):
    for message in [e for form in forms.values() for e in _form_messages(form)]:
        messages.error(request, message)
    response = redirect(partnership)
    return response


def _form_messages(form) -> list[str]:
    out = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            out.append(f"{label}: {error}" if label else str(error))
    return out
