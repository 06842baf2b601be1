from django.urls import path

from . import views

app_name = "actions"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("new/", views.action_create, name="create"),
    path("bulk/", views.bulk, name="bulk"),
    path("export.csv", views.export_csv, name="export"),
    path("import/", views.import_csv, name="import"),
    path("workstreams/new/", views.workstream_create, name="workstream_create"),
    path("<int:pk>/", views.action_detail, name="detail"),
    path("<int:pk>/edit/", views.action_edit, name="edit"),
]
