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

# Each app registers its viewsets here, under the same permission rules as its pages.
router = DefaultRouter()
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
