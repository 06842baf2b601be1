from django.shortcuts import render

from .models import Organisation


def directory(request):
    return render(
        request, "network/directory.html", {"organisations": Organisation.objects.all()[:50]}
    )
