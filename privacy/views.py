from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from privacy import permissions

from . import services
from .export import export_path
from .models import DataExport, ExportStatus


def privacy(request):
    """What the platform keeps, why and for how long."""
    return render(request, "privacy/privacy.html", {"days": settings.RETENTION_DAYS})


@login_required
def my_data(request):
    exports = DataExport.objects.filter(user=request.user, expires_at__gt=timezone.now())[:5]
    return render(
        request,
        "privacy/my_data.html",
        {"exports": exports, "blockers": services.deletion_blockers(request.user)},
    )


@login_required
@require_POST
def request_export(request):
    try:
        services.request_export(actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("Your archive is being prepared. We will e-mail you a link to it.")
        )
    return redirect("privacy:my_data")


@login_required
def download(request, token):
    export = DataExport.objects.filter(
        token=token, user=request.user, status=ExportStatus.READY, expires_at__gt=timezone.now()
    ).first()
    if export is None or not export_path(export).exists():
        raise Http404
    return FileResponse(
        export_path(export).open("rb"), as_attachment=True, filename="entrevilles-my-data.zip"
    )


@login_required
def delete_account(request, user_id=None):
    """Delete my account, or (network administrators) someone's on their request."""
    target = request.user if user_id is None else get_object_or_404(get_user_model(), pk=user_id)
    if not permissions.can_delete_account(request.user, target):
        raise PermissionDenied
    myself = target.pk == request.user.pk
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the box to confirm the deletion."))
        else:
            try:
                name = services.delete_account(target, actor=request.user)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                if myself:
                    logout(request)
                    messages.success(request, _("Your account is deleted. Goodbye."))
                    return redirect("home")
                messages.success(
                    request,
                    _("The account is deleted; it now appears as %(name)s.") % {"name": name},
                )
                return redirect("home")
    return render(
        request,
        "privacy/delete.html",
        {"target": target, "myself": myself, "blockers": services.deletion_blockers(target)},
    )
