from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("calendar.ics", views.calendar_ical, name="calendar_ical"),
    path("mine.ics", views.my_ical, name="my_ical"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("pickers/<str:kind>/", views.picker, name="picker"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>.ics", views.meeting_ical, name="ical"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/manage/", views.manage, name="manage"),
    path("<int:pk>/invite/", views.invite, name="invite"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/register/", views.register, name="register"),
    path(
        "<int:pk>/participations/<int:participation_pk>/cancel/",
        views.cancel_registration,
        name="cancel_registration",
    ),
]
