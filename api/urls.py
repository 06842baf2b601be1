from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView  # noqa: F401
from rest_framework.routers import DefaultRouter

app_name = "api"

# Each app registers its viewsets here, under the same permission rules as its pages.
router = DefaultRouter()

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("", include(router.urls)),
]
