"""Response headers Django has no setting for, and addresses refused at once."""

from django.conf import settings
from django.http import HttpResponseBadRequest, QueryDict


class PermissionsPolicyMiddleware:
    """Sends settings.PERMISSIONS_POLICY: the browser features no page of ours needs stay
    off, even for content that would find a way in."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response


class RefuseNulCharactersMiddleware:
    """A NUL character in the path or the query string answers 400 at once.

    PostgreSQL cannot store or compare text holding NUL: any query filtering on such a
    value raises a DataError (a 500) there, while SQLite answers. Forms and the API's
    serializers refuse NUL in what they read; this covers every other parameter.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _holds_nul(request.GET):
            return HttpResponseBadRequest("NUL characters are not accepted in addresses.")
        # Form posts of the pages (the API's parsers check their own bodies).
        if request.content_type == "application/x-www-form-urlencoded" and _holds_nul(request.POST):
            return HttpResponseBadRequest("NUL characters are not accepted in forms.")
        return self.get_response(request)


def _holds_nul(query: QueryDict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in query.lists()
    )
