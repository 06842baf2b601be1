from django.urls import path

from . import views, views_matching

app_name = "learning"

urlpatterns = [
    path("needs/<int:pk>/", views.need_detail, name="need"),
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
