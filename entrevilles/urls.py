from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from ops import views as ops_views

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.start, name="start"),
    path("healthz", ops_views.healthz, name="healthz"),
    path("livez", ops_views.livez, name="livez"),
    path("accounts/", include("accounts.urls")),
    path("directory/", include("network.urls")),
    path("commissions/", include("commissions.urls")),
    path("meetings/", include("meetings.urls")),
    path("actions/", include("actions.urls")),
    path("library/", include("library.urls")),
    path("learning/", include("learning.urls")),
    path("circulars/", include("circulars.urls")),
    path("search/", include("search.urls")),
    path("notifications/", include("notifications.urls")),
    path("privacy/", include("privacy.urls")),
    path("api/", include("api.urls")),
    path("", include("ops.urls")),
    path("files/", include("uploads.urls")),
    # Links written before files were guarded (in circulars already sent, bookmarks) lead
    # to the guarded view, which asks the owner's permission like any other request.
    path("media/<path:name>", RedirectView.as_view(url="/files/%(name)s", permanent=True)),
    path("admin/", admin.site.urls),
]
