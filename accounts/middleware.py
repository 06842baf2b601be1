from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware, get_user
from django.utils import translation


class SignedInUserMiddleware(AuthenticationMiddleware):
    """Django's authentication middleware, the user read at once rather than behind a
    lazy wrapper: every request asks for it anyway (its language, the second-factor step),
    and each of the many reads of `request.user` through the wrapper (the rules, the
    layout) goes through its attribute proxy."""

    def process_request(self, request):
        super().process_request(request)
        request.user = get_user(request)


class PreferredLanguageMiddleware:
    """Speaks to a signed-in person in the language they chose in their profile.

    Runs after LocaleMiddleware (which handles visitors from the cookie or the browser)
    and after authentication, so a person gets their language on any device.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = user.preferred_language
            if language in settings.LANGUAGE_CODES:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class SecondFactorMiddleware:
    """Holds a signed-in person at the second-factor step until they pass it.

    Those who must use a second factor (accounts.permissions.must_use_second_factor) and
    have none are sent to enrol; anyone enrolled whose session has not passed the code
    step (a login through another door, such as the back office's own login page) is
    asked for a code. Only the pages of those steps, logging out and the language switch
    stay open meanwhile. The API answers 403 to such a session.
    """

    OPEN_PREFIXES = (
        "/accounts/login/",
        "/accounts/logout/",
        # Setting up and the code step only; managing recovery codes needs a full login.
        "/accounts/two-factor/verify/",
        "/accounts/language/",
        "/static/",
        "/healthz",
        "/livez",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def _open(self, path: str) -> bool:
        return path == "/accounts/two-factor/" or path.startswith(self.OPEN_PREFIXES)

    def __call__(self, request):
        from django.http import JsonResponse
        from django.shortcuts import redirect
        from django.urls import reverse
        from django.utils.http import urlencode
        from django.utils.translation import gettext as _

        from . import authentication, permissions

        user = request.user
        if (
            user.is_authenticated
            and not authentication.second_factor_passed(request)
            and not self._open(request.path)
        ):
            enrolled = bool(request.session.get(authentication.ENROLLED))
            if enrolled or permissions.must_use_second_factor(user):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": _("Complete the second step of your login first.")},
                        status=403,
                    )
                target = "accounts:two_factor_verify" if enrolled else "accounts:two_factor_setup"
                query = urlencode({"next": request.get_full_path()})
                return redirect(reverse(target) + "?" + query)
        return self.get_response(request)
