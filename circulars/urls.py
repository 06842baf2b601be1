from django.urls import path

from . import views

app_name = "circulars"

urlpatterns = [
    path("", views.circular_list, name="list"),
    path("new/", views.circular_create, name="create"),
    path("from-meeting/<int:meeting_pk>/", views.from_meeting, name="from_meeting"),
    path("archive/", views.archive, name="archive"),
    path("archive/<int:pk>/", views.archive_detail, name="archive_circular"),
    path("archive/<int:pk>/<str:language>/", views.archive_detail, name="archive_detail"),
    path("mine/", views.mine, name="mine"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("suppressions/", views.suppressions, name="suppressions"),
    path("<int:pk>/", views.circular_detail, name="detail"),
    path("<int:pk>/edit/", views.circular_edit, name="edit"),
    path("<int:pk>/audience/", views.audience, name="audience"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/send/", views.send, name="send"),
    path("<int:pk>/stop/", views.stop, name="stop"),
    path("<int:pk>/resume/", views.resume, name="resume"),
    path("<int:pk>/schedule/", views.schedule, name="schedule"),
    path("<int:pk>/test/", views.test_send, name="test"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/deliveries/", views.deliveries, name="deliveries"),
    path("<int:pk>/resend-unconfirmed/", views.resend_unconfirmed, name="resend_unconfirmed"),
]
