from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from actions import api as actions_api
from circulars import api as circulars_api
from commissions import api as commissions_api
from learning import api as learning_api
from library import api as library_api
from meetings import api as meetings_api
from network import api as network_api
from notifications import api as notifications_api
from search import api as search_api

app_name = "api"


class IdRouter(DefaultRouter):
    """Detail routes looked up by an integer answer only ASCII digits (anything else is a
    404 from the URL resolver, never a ValueError in a view); a viewset may set its own
    `lookup_value_regex`."""

    INTEGER_LOOKUPS = ("pk", "id", "number")

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if not hasattr(viewset, "lookup_value_regex") and (
            getattr(viewset, "lookup_field", "pk") in self.INTEGER_LOOKUPS
        ):
            lookup_url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or getattr(
                viewset, "lookup_field", "pk"
            )
            return self._base_pattern.format(
                lookup_prefix=lookup_prefix,
                lookup_url_kwarg=lookup_url_kwarg,
                lookup_value="[0-9]{1,19}",
            )
        return super().get_lookup_regex(viewset, lookup_prefix)


# Each app registers its viewsets here, under the same permission rules as its pages.
router = IdRouter()
for module in (
    network_api,
    commissions_api,
    meetings_api,
    actions_api,
    library_api,
    learning_api,
    circulars_api,
    search_api,
    notifications_api,
):
    module.register(router)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("", include(router.urls)),
]
