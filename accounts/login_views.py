"""Logging in (password, then the second factor), enrolling a second factor,
confirming the password before a sensitive action, and personal API tokens."""

import time

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import authentication, forms, permissions, services
from .authentication import recent_check_required
from .throttling import lockout_duration


class LoginView(auth_views.LoginView):
    """Log in by e-mail; `next` is followed only when it stays on this site.

    Someone with a second factor is not logged in yet after the password: the code
    step comes first.
    """

    template_name = "accounts/login.html"
    form_class = forms.EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if authentication.has_second_factor(user):
            self.request.session[authentication.PENDING_LOGIN] = {
                "user": user.pk,
                "backend": user.backend,
                "at": time.time(),
                "next": self.get_redirect_url(),
            }
            return redirect("accounts:login_code")
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    """Queues the reset mail for the worker, whatever the address: the answer takes as
    long for an unknown address as for a registered one, and says the same."""

    form_class = forms.LocalisedPasswordResetForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        from .tasks import send_password_reset

        email = form.cleaned_data["email"]
        domain = self.request.get_host()
        use_https = self.request.is_secure()
        transaction.on_commit(lambda: send_password_reset.enqueue(email, domain, use_https))
        return redirect(self.get_success_url())


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers once an address or account has failed too often."""
    minutes = max(1, round(lockout_duration(request).total_seconds() / 60))
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


def _refused_code(request, user) -> None:
    """A wrong code counts as a failed login, for the logs and for throttling."""
    user_login_failed.send(sender=__name__, credentials={"username": user.email}, request=request)


def _allowed(request, user) -> bool:
    return AxesProxyHandler.is_allowed(request, {"username": user.email})


def login_code(request):
    """Second step of a login: a code from the authenticator app, or a recovery code."""
    pending = request.session.get(authentication.PENDING_LOGIN)
    user = None
    if pending and time.time() - pending.get("at", 0) < authentication.PENDING_LOGIN_SECONDS:
        user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        request.session.pop(authentication.PENDING_LOGIN, None)
        messages.error(request, _("Your login took too long. Please enter your password again."))
        return redirect("accounts:login")
    if not _allowed(request, user):
        return locked_out(request)
    form = forms.SecondFactorForm(request.POST or None)
    status = 200
    if request.method == "POST":
        device = form.is_valid() and authentication.check_code(user, form.cleaned_data["code"])
        if device:
            del request.session[authentication.PENDING_LOGIN]
            login(request, user, backend=pending["backend"])
            authentication.mark_second_factor_passed(request.session, device)
            _recovery_code_notice(request, device)
            return redirect(authentication.safe_next(request, pending.get("next"), "/"))
        _refused_code(request, user)
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        form.add_error("code", _("This code is not valid. Try the code your app shows now."))
        status = 400
    return render(request, "accounts/login_code.html", {"form": form}, status=status)


def _recovery_code_notice(request, device) -> None:
    from django_otp.plugins.otp_static.models import StaticDevice

    if isinstance(device, StaticDevice):
        left = device.token_set.count()
        messages.warning(
            request,
            _(
                "You used a recovery code; %(count)s remain. Make new ones from your profile "
                "if you lost your phone."
            )
            % {"count": left},
        )


@login_required
def two_factor_verify(request):
    """The code step for a session that logged in through another door."""
    user = request.user
    next_url = authentication.safe_next(request, request.GET.get("next"), "/")
    if authentication.second_factor_passed(request):
        return redirect(next_url)
    if not _allowed(request, user):
        return locked_out(request)
    form = forms.SecondFactorForm(request.POST or None)
    status = 200
    if request.method == "POST":
        device = form.is_valid() and authentication.check_code(user, form.cleaned_data["code"])
        if device:
            authentication.mark_second_factor_passed(request.session, device)
            _recovery_code_notice(request, device)
            return redirect(next_url)
        _refused_code(request, user)
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        form.add_error("code", _("This code is not valid. Try the code your app shows now."))
        status = 400
    return render(request, "accounts/login_code.html", {"form": form}, status=status)


@login_required
def two_factor_setup(request):
    """Enrol an authenticator app: scan, type a code, keep the recovery codes."""
    user = request.user
    enrolled = authentication.has_second_factor(user)
    # Replacing an app already in use needs the current one first, then a recent
    # password check, like any change of credentials.
    if enrolled and not authentication.second_factor_passed(request):
        return redirect(reverse("accounts:two_factor_verify") + "?next=" + request.path)
    if enrolled and not authentication.recently_checked(request):
        return redirect(authentication.confirm_url(request))
    next_url = authentication.safe_next(
        request, request.GET.get("next"), reverse("accounts:profile")
    )
    device = services.start_totp_enrolment(user, actor=user)
    form = forms.SecondFactorForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.confirm_totp_enrolment(device, form.cleaned_data["code"], actor=user)
        except ValidationError as error:
            form.add_error("code", error)
            status = 400
        else:
            authentication.mark_second_factor_passed(request.session, device)
            return render(
                request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url}
            )
    elif request.method == "POST":
        status = 400
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "qr_svg": qr.svg_inline(scale=4, dark="#000", light="#fff", omitsize=False),
        "secret": _spaced(device.key),
        "required": permissions.must_use_second_factor(user),
        "enrolled": enrolled,
    }
    return render(request, "accounts/two_factor_setup.html", context, status=status)


def _spaced(hex_key: str) -> str:
    """The key as authenticator apps take it when typed (base32), in groups of four."""
    import base64

    text = base64.b32encode(bytes.fromhex(hex_key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@login_required
@require_POST
@recent_check_required
def renew_recovery_codes(request):
    if not authentication.has_second_factor(request.user):
        return redirect("accounts:two_factor_setup")
    codes = services.regenerate_recovery_codes(request.user, actor=request.user)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": reverse("accounts:profile")},
    )


@login_required
@require_POST
@recent_check_required
def remove_second_factor(request):
    if not permissions.can_remove_own_second_factor(request.user):
        raise PermissionDenied
    services.remove_second_factor(request.user, actor=request.user)
    request.session[authentication.ENROLLED] = False
    messages.success(request, _("Two-step login is switched off."))
    return redirect("accounts:profile")


@login_required
def confirm(request):
    """Confirm the password (and a code, when enrolled) before a sensitive action."""
    user = request.user
    next_url = authentication.safe_next(request, request.GET.get("next"), "/")
    if not _allowed(request, user):
        return locked_out(request)
    enrolled = authentication.has_second_factor(user)
    form = forms.ConfirmIdentityForm(request.POST or None, user=user, with_code=enrolled)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            authentication.mark_checked(request)
            return redirect(next_url)
        _refused_code(request, user)
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        status = 400
    return render(request, "accounts/confirm.html", {"form": form, "next": next_url}, status=status)


@login_required
@require_POST
@recent_check_required
def create_token(request):
    form = forms.PersonalTokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the token a name."))
        return redirect("accounts:profile")
    token, key = services.create_personal_token(
        request.user, name=form.cleaned_data["name"], actor=request.user
    )
    return render(request, "accounts/token_created.html", {"token": token, "key": key})


@login_required
@require_POST
def revoke_token(request, pk):
    token = get_object_or_404(request.user.personal_tokens.active(), pk=pk)
    services.revoke_personal_token(token, actor=request.user)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("accounts:profile")
