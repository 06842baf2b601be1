from django.conf import settings
from django.utils import translation


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
