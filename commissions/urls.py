from django.urls import path

from . import views

app_name = "commissions"

urlpatterns = [
    path("", views.commission_list, name="list"),
    path("<slug:slug>/", views.commission_detail, name="detail"),
]
