from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("needs/<int:pk>/", views.need_detail, name="need"),
    path("partnerships/propose/", views.partnership_propose, name="partnership_propose"),
    path("partnerships/<int:pk>/", views.partnership_detail, name="partnership"),
]
