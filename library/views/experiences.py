"""Experiences: the list, a page, writing and editing, status, review and attachments."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import permissions as roles
from entrevilles import fragments
from entrevilles.languages import CODES
from library import pages, permissions
from network import permissions as network_permissions
from network.models import Organisation, Person

from .. import services
from ..forms import AttachmentForm, ExperienceCreateForm, ExperienceTextForm, ReturnForm
from ..models import Experience, Status, Theme
from ..related import related_experiences
from .common import _experience_for, _page


def library_home(request):
    return redirect("library:experiences")


def experience_list(request):
    """The published experiences. What visitors see is rendered once per page, theme and
    language (library.pages)."""
    theme = request.GET.get("theme") or ""
    query = None
    if not request.user.is_authenticated and (not theme or theme in pages.theme_keys()):
        query = f"{fragments.page_asked(request)}|{theme}"
    content = pages.for_visitors(
        request, pages.EXPERIENCES, query, lambda: _experience_list_content(request, theme)
    )
    return render(
        request,
        "library/experience_list.html",
        {"content": mark_safe(content)},  # noqa: S308 - our own template's output
    )


def _experience_list_content(request, theme: str) -> str:
    experiences = (
        Experience.objects.published()
        .select_related("city__country")
        .prefetch_related("themes")
        .order_by("-published_at", "-id")
    )
    if theme:
        experiences = experiences.filter(themes__key=theme)
    context = {
        "page": _page(request, experiences, fragments.page_asked(request)),
        "themes": Theme.objects.all(),
        "theme": theme,
        "cities": _cities_for(request.user)[:1],
    }
    return str(render_to_string("library/_experience_list_content.html", context, request))


def _cities_for(user):
    if roles.is_network_admin(user):
        return Organisation.objects.governments()
    return Organisation.objects.filter(pk__in=roles.represented_organisation_ids(user))


def experience_detail(request, pk):
    experience = _experience_for(request, pk, lambda user, obj: True)
    shown = request.GET.get("lang")
    if shown not in experience.translation_languages():
        reader = get_language()
        shown = (
            reader if reader in experience.translation_languages() else experience.original_language
        )
    texts = {
        field: getattr(experience, f"{field}_{shown}") or ""
        for field in ("title", "summary", "problem", "approach", "results", "lessons")
    }
    user = request.user
    context = {
        "experience": experience,
        "texts": texts,
        "shown": shown,
        "themes": experience.themes.all(),
        "sdgs": experience.sdgs.all(),
        "principles": experience.principles.all(),
        "attachments": experience.attachments.all(),
        "can_edit": permissions.can_edit_experience(user, experience),
        "can_submit": permissions.can_submit_experience(user, experience),
        "can_publish": permissions.can_publish_experience(user, experience),
        "can_unpublish": permissions.can_unpublish_experience(user, experience),
        "return_form": ReturnForm(),
        "attachment_form": AttachmentForm(),
        "show_contact": experience.contact
        and network_permissions.can_view_contact_details(user, experience.contact),
        "related": related_experiences("experience", experience.pk),
    }
    return render(request, "library/experience_detail.html", context)


@login_required
def experience_create(request):
    cities = _cities_for(request.user)
    if not cities.exists():
        raise PermissionDenied
    form = ExperienceCreateForm(request.POST or None, cities=cities)
    if request.method == "POST" and form.is_valid():
        city = form.cleaned_data["city"]
        if not permissions.can_create_experience(request.user, city):
            raise PermissionDenied
        try:
            experience = services.create_experience(
                city=city,
                original_language=form.cleaned_data["original_language"],
                texts=form.texts(),
                themes=form.cleaned_data["themes"],
                sdgs=form.cleaned_data["sdgs"],
                principles=form.cleaned_data["principles"],
                start_year=form.cleaned_data["start_year"],
                end_year=form.cleaned_data["end_year"],
                offers_peer_learning=form.cleaned_data["offers_peer_learning"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The experience was saved as a draft."))
            return redirect(experience)
    return render(request, "library/experience_form.html", {"form": form, "creating": True})


@login_required
def experience_edit(request, pk):
    experience = _experience_for(request, pk, permissions.can_edit_experience)
    language = request.GET.get("lang") or experience.original_language
    if language not in CODES:
        language = experience.original_language
    fields = ExperienceTextForm.TEXT_FIELDS
    initial = {field: getattr(experience, f"{field}_{language}") or "" for field in fields}
    initial.update(
        start_year=experience.start_year,
        end_year=experience.end_year,
        offers_peer_learning=experience.offers_peer_learning,
        themes=experience.themes.all(),
        sdgs=experience.sdgs.all(),
        principles=experience.principles.all(),
    )
    initial["contact"] = experience.contact
    form = ExperienceTextForm(
        request.POST or None,
        initial=initial,
        people=Person.objects.filter(organisation=experience.city),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_experience(
                experience,
                language=language,
                texts=form.texts(),
                themes=data["themes"],
                sdgs=data["sdgs"],
                principles=data["principles"],
                details={
                    "contact": data["contact"],
                    "start_year": data["start_year"],
                    "end_year": data["end_year"],
                    "offers_peer_learning": data["offers_peer_learning"],
                },
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The experience was saved."))
            return redirect(experience)
    context = {
        "form": form,
        "experience": experience,
        "language": language,
        "languages": settings.LANGUAGES,
    }
    return render(request, "library/experience_form.html", context)


@require_POST
@login_required
def experience_status(request, pk):
    """Send for review, publish or return to the city, as the button says."""
    action = request.POST.get("action")
    checks = {
        "submit": (permissions.can_submit_experience, services.submit_experience),
        "publish": (permissions.can_publish_experience, services.publish_experience),
        "return": (permissions.can_unpublish_experience, None),
    }
    if action not in checks:
        return HttpResponseBadRequest(_("Unknown action."))
    check, service = checks[action]
    experience = _experience_for(request, pk, check)
    try:
        if action == "return":
            form = ReturnForm(request.POST)
            form.is_valid()
            services.return_experience(
                experience, note=form.cleaned_data.get("note", ""), actor=request.user
            )
        else:
            service(experience, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            {
                "submit": _("The experience was sent to the secretariat for review."),
                "publish": _("The experience is published."),
                "return": _("The experience was returned to the city as a draft."),
            }[action],
        )
    return redirect(experience)


@login_required
def review_queue(request):
    if not permissions.can_review_experiences(request.user):
        raise PermissionDenied
    experiences = (
        Experience.objects.filter(status=Status.IN_REVIEW)
        .select_related("city__country")
        .order_by("updated_at")
    )
    return render(request, "library/review_queue.html", {"page": _page(request, experiences)})


@require_POST
@login_required
def experience_add_attachment(request, pk):
    experience = _experience_for(request, pk, permissions.can_edit_experience)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_experience_attachment(
                experience,
                title=form.cleaned_data["title"],
                language=form.cleaned_data["language"],
                uploaded_file=form.cleaned_data["file"],
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The file was added."))
    else:
        messages.error(request, _("The attachment needs a title, a language and a file."))
    return redirect(experience)
