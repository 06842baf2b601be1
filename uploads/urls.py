from django.urls import path

from . import downloads

app_name = "uploads"

urlpatterns = [
    path("<path:name>", downloads.download, name="download"),
]
