from django.urls import path

from . import views, views_partnerships

app_name = "learning"

urlpatterns = [
    path("needs/<int:pk>/", views.need_detail, name="need"),
    path("partnerships/", views_partnerships.partnership_list, name="partnerships"),
    path(
        "partnerships/propose/",
        views_partnerships.partnership_propose,
        name="partnership_propose",
    ),
    path("partnerships/lookup/", views_partnerships.partnership_lookup, name="partnership_lookup"),
    path("partnerships/<int:pk>/", views_partnerships.partnership_detail, name="partnership"),
    path(
        "partnerships/<int:pk>/answer/<int:party_pk>/",
        views_partnerships.partnership_respond,
        name="partnership_respond",
    ),
    path(
        "partnerships/<int:pk>/status/",
        views_partnerships.partnership_status,
        name="partnership_status",
    ),
    path(
        "partnerships/<int:pk>/milestones/",
        views_partnerships.milestone_add,
        name="milestone_add",
    ),
    path("partnerships/<int:pk>/activities/", views_partnerships.activity_add, name="activity_add"),
    path(
        "partnerships/<int:pk>/activities/<int:activity_pk>/outcome/",
        views_partnerships.activity_outcome,
        name="activity_outcome",
    ),
    path(
        "partnerships/<int:pk>/calendar.ics",
        views_partnerships.partnership_ics,
        name="partnership_ics",
    ),
    path("partnerships/<int:pk>/reports/new/", views_partnerships.report_new, name="report_new"),
    path(
        "partnerships/<int:pk>/reports/<int:report_pk>/",
        views_partnerships.report_detail,
        name="report",
    ),
    path("partnerships/<int:pk>/evaluation/", views_partnerships.evaluation, name="evaluation"),
    path("partnerships/<int:pk>/outcomes/", views_partnerships.outcomes, name="outcomes"),
    path("partnerships/<int:pk>/note/", views_partnerships.note_detail, name="note"),
    path("partnerships/<int:pk>/note/edit/", views_partnerships.note_edit, name="note_edit"),
    path(
        "partnerships/<int:pk>/note/publish/",
        views_partnerships.note_publish,
        name="note_publish",
    ),
    path("partnerships/<int:pk>/note/pdf/", views_partnerships.note_pdf, name="note_pdf"),
    path(
        "partnerships/<int:pk>/note/roadmap/<int:item_pk>/action/",
        views_partnerships.roadmap_action,
        name="roadmap_action",
    ),
]
