from django.urls import path

from . import views, views_agenda, views_matching, views_needs

app_name = "learning"

urlpatterns = [
    path("needs/", views_needs.need_list, name="needs"),
    path("needs/new/", views_needs.need_create, name="need_create"),
    path("needs/<int:pk>/", views_needs.need_detail, name="need"),
    path("needs/<int:pk>/edit/", views_needs.need_edit, name="need_edit"),
    path("needs/<int:pk>/status/", views_needs.need_status, name="need_status"),
    path(
        "needs/<int:pk>/translate/<str:language>/",
        views_needs.need_translate,
        name="need_translate",
    ),
    path("agenda/", views_agenda.agenda, name="agenda"),
    path("agenda/export.csv", views_agenda.agenda_csv, name="agenda_csv"),
    path("agenda/<slug:slug>/", views_agenda.commission_agenda, name="agenda_commission"),
    path(
        "agenda/<slug:slug>/priorities/new/",
        views_agenda.priority_create,
        name="priority_create",
    ),
    path("needs/<int:pk>/suggestions/", views_matching.need_suggestions, name="need_suggestions"),
    path(
        "needs/<int:pk>/suggestions/set-aside/",
        views_matching.dismiss_suggestion,
        name="need_dismiss_suggestion",
    ),
    path("experiences/<int:pk>/needs/", views_matching.experience_needs, name="experience_needs"),
    path("partnerships/propose/", views.partnership_propose, name="partnership_propose"),
    path("partnerships/<int:pk>/", views.partnership_detail, name="partnership"),
]
