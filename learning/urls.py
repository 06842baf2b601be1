from django.urls import path

from learning.agenda import views as views_agenda
from learning.dashboards import views as views_dashboard
from learning.groups import views as views_groups
from learning.matching import views as views_matching
from learning.needs import views as views_needs
from learning.partnerships import views as views_partnerships

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
    path(
        "agenda/priorities/<int:pk>/edit/",
        views_agenda.priority_edit,
        name="priority_edit",
    ),
    path("needs/<int:pk>/suggestions/", views_matching.need_suggestions, name="need_suggestions"),
    path(
        "needs/<int:pk>/suggestions/set-aside/",
        views_matching.dismiss_suggestion,
        name="need_dismiss_suggestion",
    ),
    path(
        "needs/<int:pk>/suggestions/set-aside/<int:dismissal>/take-back/",
        views_matching.restore_suggestion,
        name="need_restore_suggestion",
    ),
    path("experiences/<int:pk>/needs/", views_matching.experience_needs, name="experience_needs"),
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
    # Learning groups
    path("groups/", views_groups.group_list, name="groups"),
    path("groups/new/", views_groups.group_create, name="group_create"),
    path("groups/<slug:slug>/", views_groups.group_detail, name="group"),
    path("groups/<slug:slug>/edit/", views_groups.group_edit, name="group_edit"),
    path("groups/<slug:slug>/members/", views_groups.member_search, name="group_member_search"),
    path("groups/<slug:slug>/members/add/", views_groups.member_add, name="group_member_add"),
    path(
        "groups/<slug:slug>/members/<int:pk>/leave/",
        views_groups.member_leave,
        name="group_member_leave",
    ),
    path("groups/<slug:slug>/sessions/", views_groups.session_add, name="group_session_add"),
    path(
        "groups/<slug:slug>/sessions/<int:pk>/edit/",
        views_groups.session_edit,
        name="group_session_edit",
    ),
    path(
        "groups/<slug:slug>/conclusions/<int:number>/edit/",
        views_groups.conclusion_edit,
        name="group_conclusion_edit",
    ),
    path(
        "groups/<slug:slug>/conclusions/",
        views_groups.conclusion_add,
        name="group_conclusion_add",
    ),
    path(
        "groups/<slug:slug>/conclusions/<int:number>/action/",
        views_groups.conclusion_action,
        name="group_conclusion_action",
    ),
    # Dashboards and the world map
    path("dashboard/", views_dashboard.programme_dashboard, name="dashboard"),
    path(
        "dashboard/partnerships/",
        views_dashboard.partnership_list,
        name="dashboard_partnerships",
    ),
    path(
        "dashboard/<slug:slug>/",
        views_dashboard.commission_dashboard,
        name="commission_dashboard",
    ),
    path("map/", views_dashboard.world_map, name="map"),
    path("map/world.svg", views_dashboard.world_outline, name="map_outline"),
    path("map/data.geojson", views_dashboard.map_geojson, name="map_geojson"),
]
