from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("", views.library_home, name="home"),
    path("experiences/", views.experience_list, name="experiences"),
    path("experiences/new/", views.experience_create, name="experience_create"),
    path("experiences/review/", views.review_queue, name="review_queue"),
    path("experiences/<int:pk>/", views.experience_detail, name="experience"),
    path("experiences/<int:pk>/edit/", views.experience_edit, name="experience_edit"),
    path(
        "experiences/<int:pk>/attachments/",
        views.experience_add_attachment,
        name="experience_add_attachment",
    ),
    path("experiences/<int:pk>/status/", views.experience_status, name="experience_status"),
    path("documents/", views.document_list, name="documents"),
    path("documents/new/", views.document_create, name="document_create"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path("documents/<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("documents/<int:pk>/files/", views.document_add_file, name="document_add_file"),
    path("documents/<int:pk>/items/", views.document_add_item, name="document_add_item"),
    path("documents/<int:pk>/publish/", views.document_publish, name="document_publish"),
    path("documents/<int:pk>/links/", views.document_links, name="document_links"),
    path(
        "documents/<int:pk>/items/<int:item_pk>/actions/",
        views.document_item_actions,
        name="document_item_actions",
    ),
    path("lookup/<slug:kind>/", views.lookup, name="lookup"),
]
