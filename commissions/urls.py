from django.urls import path

from . import views

app_name = "commissions"

urlpatterns = [
    path("", views.commission_list, name="list"),
    path("<slug:slug>/", views.commission_detail, name="detail"),
    path("<slug:slug>/edit/", views.commission_edit, name="edit"),
    path("<slug:slug>/history/", views.commission_history, name="history"),
    path("<slug:slug>/members/search/", views.member_search, name="member_search"),
    path("<slug:slug>/members/add/", views.add_member, name="add_member"),
    path(
        "<slug:slug>/members/<int:organisation_pk>/remove/",
        views.remove_member,
        name="remove_member",
    ),
]
