from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.privacy, name="privacy"),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/export/", views.request_export, name="request_export"),
    path("exports/<str:token>/", views.download, name="download"),
    path("delete-account/", views.delete_account, name="delete_account"),
    path("delete-account/<int:user_id>/", views.delete_account, name="delete_account_of"),
]
