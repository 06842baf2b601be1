"""What a session knows about how its person proved who they are.

A login is complete once the password and, for those who have one, the second factor
were checked: the session then carries the time of that check. Sensitive actions ask
for a check more recent than settings.REAUTHENTICATION_MINUTES.
"""

import functools
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from rest_framework.exceptions import PermissionDenied

# Session keys.
CHECKED_AT = "entrevilles_checked_at"  # time of the last password (+ code) check
SECOND_FACTOR_PASSED = "entrevilles_second_factor"  # this session passed the code step
SECOND_FACTOR_DEVICE = "entrevilles_second_factor_device"  # the device that passed it
ENROLLED = "entrevilles_enrolled"  # the person had a second factor when they logged in
PENDING_LOGIN = "entrevilles_pending_login"  # password right, code still to come

PENDING_LOGIN_SECONDS = 300


def has_second_factor(user) -> bool:
    from django_otp import user_has_device

    return user_has_device(user, confirmed=True)


@receiver(user_logged_in)
def _remember_login(sender, request, user, **kwargs):
    """Any login records whether a second factor exists; without one, the password was
    the whole check, and its time counts for sensitive actions. With one, the code step
    (mark_second_factor_passed) completes the check."""
    session = getattr(request, "session", None)
    if session is None:
        return
    enrolled = has_second_factor(user)
    session[ENROLLED] = enrolled
    if not enrolled:
        session[CHECKED_AT] = time.time()


def mark_second_factor_passed(session, device=None) -> None:
    """The code step passed with `device` (its authenticator app or recovery codes): the
    session counts as passed for as long as that device exists, confirmed.

    Without a device (a session made by a test or a benchmark, which skip the code step),
    the mark alone counts."""
    session[SECOND_FACTOR_PASSED] = True
    session[ENROLLED] = True
    session[CHECKED_AT] = time.time()
    if device is not None:
        session[SECOND_FACTOR_DEVICE] = device.persistent_id
    else:
        session.pop(SECOND_FACTOR_DEVICE, None)


def second_factor_passed(request) -> bool:
    """This session passed the code step, with a device the person still has: a removed
    (or replaced) authenticator app asks for a code again at the next request. The
    devices are read from what is kept for the person (accounts.kept_users)."""
    from .kept_users import devices_of

    session = request.session
    if not session.get(SECOND_FACTOR_PASSED):
        return False
    device = session.get(SECOND_FACTOR_DEVICE)
    if device is None:
        return True
    user = request.user
    return user.is_authenticated and device in devices_of(user)


def mark_checked(request) -> None:
    request.session[CHECKED_AT] = time.time()


def recently_checked(request) -> bool:
    checked_at = request.session.get(CHECKED_AT) if hasattr(request, "session") else None
    if not isinstance(checked_at, int | float):
        return False
    return time.time() - checked_at < settings.REAUTHENTICATION_MINUTES * 60


def safe_next(request, candidate: str | None, default: str = "/") -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def confirm_url(request) -> str:
    """The password (and code) confirmation page, coming back here afterwards.

    After a form was posted, the person comes back to the page the form was on, and
    presses the button again; the post itself is not replayed.
    """
    if request.method == "GET":
        back = request.get_full_path()
    else:
        back = safe_next(request, request.META.get("HTTP_REFERER"), default="/")
    return reverse("accounts:confirm") + "?" + urlencode({"next": back})


def recent_check_required(view):
    """Before a sensitive action: a password (and code) check in the last few minutes."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated and not recently_checked(request):
            return redirect(confirm_url(request))
        return view(request, *args, **kwargs)

    return wrapper


def require_recent_check_for_api(request) -> None:
    """The API's version: a token is itself the holder's deliberate credential and
    passes; a browser session must have confirmed its password recently."""
    from rest_framework.authentication import SessionAuthentication

    if not isinstance(request.successful_authenticator, SessionAuthentication):
        return
    if not recently_checked(request):
        raise PermissionDenied(
            _(
                "Confirm your password first (%(url)s), then try again: this action needs "
                "a recent confirmation."
            )
            % {"url": reverse("accounts:confirm")}
        )


def check_code(user, code: str):
    """The device (authenticator app or recovery codes) that accepts `code`, or None.

    django-otp slows down repeated wrong codes on each device by itself; a recovery
    code works once.
    """
    from django.db import transaction
    from django_otp import devices_for_user

    # What people type: spaces some apps show mid-code, the dash of recovery codes.
    code = "".join(code.split()).replace("-", "").lower()
    if not code:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(code):
                return device
    return None
