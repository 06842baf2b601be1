from django.urls import path

from . import views, views_dashboard, views_groups

app_name = "learning"

urlpatterns = [
    path("needs/<int:pk>/", views.need_detail, name="need"),
    path("partnerships/propose/", views.partnership_propose, name="partnership_propose"),
    path("partnerships/<int:pk>/", views.partnership_detail, name="partnership"),
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
