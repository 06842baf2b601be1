from django.urls import path

from . import views

app_name = "ops"

urlpatterns = [
    path("mailbox/", views.mailbox, name="mailbox"),
    path("mailbox/<str:name>", views.mailbox, name="mailbox_message"),
]
