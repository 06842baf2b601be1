from collections import defaultdict

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import services, writing
from .models import EventKind, Follow, Frequency, Notification, TargetType
from .targets import find_target, model_of, target_url, visible_targets

PAGE_SIZE = 30


def _htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _back(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_POST
def follow(request):
    """Follow or stop following; htmx gets the button back, others the page they came from."""
    target_type = request.POST.get("target_type", "")
    try:
        target_id = int(request.POST.get("target_id", ""))
        TargetType(target_type)
    except ValueError:
        return HttpResponse(_("There is nothing to follow here."), status=400)
    following = request.POST.get("follow") == "1"
    try:
        if following:
            services.follow(target_type, target_id, actor=request.user)
        else:
            services.unfollow(target_type, target_id, actor=request.user)
    except ValidationError as error:
        if _htmx(request):
            return HttpResponse(error.messages[0], status=404)
        messages.error(request, error.messages[0])
        return redirect(_back(request, "notifications:following"))
    if _htmx(request):
        return render(
            request,
            "notifications/_follow_button.html",
            {
                "signed_in": True,
                "target_type": target_type,
                "target_id": target_id,
                "following": following,
                "next": request.POST.get("next", ""),
            },
        )
    if following:
        messages.success(request, _("You now follow this. Your notifications list it."))
    else:
        messages.success(request, _("You no longer follow this."))
    return redirect(_back(request, "notifications:following"))


@login_required
def following(request):
    """What I follow, by type, each with a button to stop; themes to follow at the bottom."""
    rows = Follow.objects.filter(user=request.user, active=True).order_by("target_type", "-pk")
    ids: dict[str, list[int]] = defaultdict(list)
    automatic: set[tuple[str, int]] = set()
    for row in rows:
        ids[row.target_type].append(row.target_id)
        if row.automatic:
            automatic.add((row.target_type, row.target_id))
    sections = []
    for target_type in TargetType:
        if not ids.get(target_type):
            continue
        objects = model_of(target_type)._default_manager.in_bulk(ids[target_type])
        items = [
            {
                "obj": obj,
                "url": target_url(target_type, obj),
                "automatic": (target_type.value, pk) in automatic,
                "target_id": pk,
            }
            for pk, obj in objects.items()
            # Something one may no longer see is not listed (nor notified).
            if find_target(request.user, target_type, pk) is not None
        ]
        if items:
            sections.append({"type": target_type, "label": target_type.label, "items": items})
    followed_themes = set(ids.get(TargetType.THEME, []))
    themes = [
        t for t in visible_targets(request.user, TargetType.THEME) if t.pk not in followed_themes
    ]
    return render(request, "notifications/following.html", {"sections": sections, "themes": themes})


@login_required
def notification_list(request):
    """My notifications, newest first; those on the page are read once shown."""
    if request.method == "POST":
        services.mark_read(actor=request.user)
        messages.success(request, _("All your notifications are marked read."))
        return redirect("notifications:list")
    rows = Notification.objects.filter(user=request.user).select_related("event")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    language = get_language()
    items = [
        {
            "text": writing.describe(n.event, language),
            "url": n.event.url,
            "when": n.created_at,
            "new": n.read_at is None,
        }
        for n in page
    ]
    services.mark_read(actor=request.user, ids=[n.pk for n in page if n.read_at is None])
    return render(request, "notifications/list.html", {"page": page, "items": items})


class PreferencesForm(forms.Form):
    def __init__(self, *args, initial_choices: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in EventKind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label, choices=Frequency.choices, initial=initial_choices[kind.value]
            )


@login_required
def preferences(request):
    current = services.preferences_of(request.user)
    form = PreferencesForm(request.POST or None, initial_choices=current)
    if request.method == "POST" and form.is_valid():
        services.set_preferences(form.cleaned_data, actor=request.user)
        messages.success(request, _("Your e-mail preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # RFC 8058 one-click: mail providers POST without a session; the token authorises
def unsubscribe(request, token):
    try:
        user_id, scope = writing.read_unsubscribe_token(token)
        user = get_user_model().objects.get(pk=user_id)
    except (ValueError, get_user_model().DoesNotExist):
        return render(
            request,
            "notifications/unsubscribe.html",
            {"error": _("This link is not valid. Copy the whole link from the e-mail.")},
            status=400,
        )
    kinds = EventKind.values if scope == "all" else [scope]
    labels = [EventKind(kind).label for kind in kinds]
    if request.method == "POST":
        services.set_preferences({kind: Frequency.NEVER for kind in kinds}, actor=user)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("Unsubscribed."), content_type="text/plain; charset=utf-8")
        return render(request, "notifications/unsubscribe.html", {"done": True, "labels": labels})
    if request.method != "GET":
        return HttpResponse(status=405)
    return render(request, "notifications/unsubscribe.html", {"labels": labels})
