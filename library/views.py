"""Pages of the knowledge base. Each view asks library.permissions and calls a service."""

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import permissions as roles
from commissions.models import Commission
from entrevilles.languages import CODES
from library import permissions
from meetings import permissions as meetings_permissions
from network import permissions as network_permissions
from network.models import Organisation, Person

from . import services
from .forms import (
    AttachmentForm,
    DocumentEditForm,
    DocumentFileForm,
    DocumentForm,
    DocumentItemForm,
    DocumentLinksForm,
    ExperienceCreateForm,
    ExperienceTextForm,
    ItemActionsForm,
    ReturnForm,
)
from .models import Document, Experience, Status, Theme
from .related import related_experiences

PER_PAGE = 20


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


def _experience_for(request, pk, check) -> Experience:
    """The experience if `check` allows it; 404 when the person may not even see it."""
    experience = get_object_or_404(
        Experience.objects.select_related("city__country", "contact"), pk=pk
    )
    if not permissions.can_view_experience(request.user, experience):
        raise Http404
    if not check(request.user, experience):
        raise PermissionDenied
    return experience


def _document_for(request, pk, check) -> Document:
    document = get_object_or_404(Document, pk=pk)
    if not permissions.can_view_document(request.user, document):
        raise Http404
    if not check(request.user, document):
        raise PermissionDenied
    return document


def library_home(request):
    return redirect("library:experiences")


def experience_list(request):
    experiences = (
        Experience.objects.published()
        .select_related("city__country")
        .prefetch_related("themes")
        .order_by("-published_at", "-id")
    )
    theme = request.GET.get("theme")
    if theme:
        experiences = experiences.filter(themes__key=theme)
    context = {
        "page": _page(request, experiences),
        "themes": Theme.objects.all(),
        "theme": theme,
        "cities": _cities_for(request.user)[:1],
    }
    return render(request, "library/experience_list.html", context)


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


def document_list(request):
    documents = Document.objects.published()
    if not roles.can_see_members_only_content(request.user):
        documents = documents.visible_to_public()
    kind = request.GET.get("kind")
    if kind:
        documents = documents.filter(kind=kind)
    documents = documents.prefetch_related("authors").order_by("-date", "-id")
    context = {
        "page": _page(request, documents),
        "can_create": permissions.can_create_document(request.user),
        "drafts": (
            Document.objects.exclude(status=Status.PUBLISHED).order_by("-id")[:20]
            if permissions.can_create_document(request.user)
            else []
        ),
    }
    return render(request, "library/document_list.html", context)


def _document_context(request, document, **overrides) -> dict:
    """What the document page shows (also after a refused upload)."""
    versions = list(document.versions.prefetch_related("files").order_by("-number"))
    context = {
        "document": document,
        "versions": versions,
        "items": [
            (
                item,
                ItemActionsForm(
                    prefix=f"item-{item.pk}",
                    initial={"actions": [action.pk for action in item.actions.all()]},
                    chosen=item.actions.all(),
                ),
            )
            for item in document.items.prefetch_related("principles", "actions")
        ],
        "authors": document.authors.all(),
        "commissions": document.commissions.all(),
        "themes": document.themes.all(),
        "can_edit": permissions.can_edit_document(request.user, document),
        "file_form": overrides.get("file_form") or DocumentFileForm(),
        "item_form": DocumentItemForm(),
        "meetings": [
            meeting
            for meeting in document.meetings.order_by("-starts_at")
            if meetings_permissions.can_view_meeting(request.user, meeting)
        ],
        "workstreams": document.workstreams.all(),
        "actions": document.actions.all(),
        "related": related_experiences("document", document.pk),
    }
    if context["can_edit"]:
        context["links_form"] = DocumentLinksForm(
            initial={
                "authors": [a.pk for a in context["authors"]],
                "meetings": list(document.meetings.values_list("pk", flat=True)),
                "workstreams": [w.pk for w in context["workstreams"]],
                "actions": [a.pk for a in context["actions"]],
            }
        )
    return context


def document_detail(request, pk):
    document = _document_for(request, pk, lambda user, obj: True)
    context = _document_context(request, document)
    return render(request, "library/document_detail.html", context)


@login_required
def document_create(request):
    if not permissions.can_create_document(request.user):
        raise PermissionDenied
    form = DocumentForm(request.POST or None, commissions=_commission_choices(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.create_document(
                kind=data["kind"],
                original_language=data["original_language"],
                title=data["title"],
                abstract=data["abstract"],
                date=data["date"],
                visibility=data["visibility"],
                themes=data["themes"],
                commissions=data["commissions"],
                authors=data["authors"],
                meetings=data["meetings"],
                workstreams=data["workstreams"],
                actions=data["actions"],
                tags=data["tags"].split(","),
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The document was created; add its files, then publish it.")
            )
            return redirect(document)
    return render(request, "library/document_form.html", {"form": form})


def _commission_choices(user, document=None):
    """The commissions a person may link a document to (and those it is linked to)."""
    if roles.is_network_admin(user):
        return Commission.objects.active()
    mine = Commission.objects.filter(pk__in=roles.secretariat_commission_ids(user))
    if document is None:
        return mine
    return Commission.objects.filter(
        pk__in=[
            *mine.values_list("pk", flat=True),
            *document.commissions.values_list("pk", flat=True),
        ]
    )


@login_required
def document_edit(request, pk):
    """The title and abstract in one language (?lang=), the details and the links."""
    document = _document_for(request, pk, permissions.can_edit_document)
    language = request.GET.get("lang") or document.original_language
    if language not in CODES:
        language = document.original_language
    current_commissions = list(document.commissions.all())
    initial = {
        "title": getattr(document, f"title_{language}") or "",
        "abstract": getattr(document, f"abstract_{language}") or "",
        "kind": document.kind,
        "date": document.date,
        "visibility": document.visibility,
        "themes": [t.pk for t in document.themes.all()],
        "sdgs": [s.pk for s in document.sdgs.all()],
        "principles": [p.pk for p in document.principles.all()],
        "tags": ", ".join(document.tags or []),
        "commissions": [c.pk for c in current_commissions],
        "authors": list(document.authors.values_list("pk", flat=True)),
        "meetings": list(document.meetings.values_list("pk", flat=True)),
        "workstreams": list(document.workstreams.values_list("pk", flat=True)),
        "actions": list(document.actions.values_list("pk", flat=True)),
    }
    form = DocumentEditForm(
        request.POST or None,
        initial=initial,
        commissions=_commission_choices(request.user, document),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        commissions = list(data["commissions"])
        if not roles.is_network_admin(request.user):
            # A secretariat changes its own commissions' links and keeps the others'.
            mine = roles.secretariat_commission_ids(request.user)
            commissions = [c for c in commissions if c.pk in mine] + [
                c for c in current_commissions if c.pk not in mine
            ]
        try:
            services.update_document(
                document,
                texts={language: {"title": data["title"], "abstract": data["abstract"]}},
                details={
                    "kind": data["kind"],
                    "date": data["date"],
                    "visibility": data["visibility"],
                    "tags": data["tags"].split(","),
                },
                commissions=commissions,
                themes=data["themes"],
                sdgs=data["sdgs"],
                principles=data["principles"],
                authors=data["authors"],
                meetings=data["meetings"],
                workstreams=data["workstreams"],
                actions=data["actions"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The document was saved."))
            return redirect(document)
    context = {
        "form": form,
        "document": document,
        "language": language,
    }
    return render(
        request, "library/document_edit.html", context, status=400 if form.errors else 200
    )


@require_POST
@login_required
def document_add_file(request, pk):
    document = _document_for(request, pk, permissions.can_edit_document)
    form = DocumentFileForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_document_file(
                document,
                version_number=data["version_number"],
                version_label=data["version_label"],
                is_final=data["is_final"],
                language=data["language"],
                uploaded_file=data["file"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("The file was added."))
            return redirect(document)
    context = _document_context(request, document, file_form=form)
    return render(request, "library/document_detail.html", context, status=400)


@require_POST
@login_required
def document_publish(request, pk):
    document = _document_for(request, pk, permissions.can_edit_document)
    try:
        services.publish_document(document, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The document is published."))
    return redirect(document)


@require_POST
@login_required
def document_add_item(request, pk):
    """Record a recommendation or conclusion of the document."""
    document = _document_for(request, pk, permissions.can_edit_document)
    form = DocumentItemForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_document_item(
                document,
                kind=data["kind"],
                texts={data["language"]: data["text"]},
                principles=data["principles"],
                actions=data["actions"],
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The item was recorded."))
    else:
        messages.error(request, _("The item needs a kind, a language and a text."))
    return redirect(document)


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


LOOKUP_FIELDS = ("authors", "meetings", "workstreams", "actions")
LOOKUP_LIMIT = 20


def _lookup_queryset(kind: str, text: str):
    from actions.models import Action, Workstream
    from meetings.models import Meeting
    from network.models import normalise_for_search

    if kind == "organisations":
        words = normalise_for_search(text).split()
        queryset = Organisation.objects.all()
        for word in words[:5]:
            queryset = queryset.filter(search_name__contains=word)
        return queryset.order_by("search_name", "id") if words else Organisation.objects.none()
    if kind == "meetings":
        return Meeting.objects.filter(title__icontains=text).order_by("-starts_at", "-id")
    if kind == "workstreams":
        return Workstream.objects.filter(title__icontains=text)
    if kind == "actions":
        return Action.objects.filter(title__icontains=text).order_by("-id")
    raise Http404


@login_required
def lookup(request, kind):
    """Checkboxes for up to 20 objects whose name contains the words typed (htmx)."""
    if not permissions.can_create_document(request.user):
        raise PermissionDenied
    field = request.GET.get("field", "")
    # A form prefix may precede the field's name ("item-12-actions").
    if not (re.fullmatch(r"[\w-]{1,60}", field) and field.endswith(LOOKUP_FIELDS)):
        return HttpResponseBadRequest(_("Unknown field."))
    text = request.GET.get("lookup-q", "").strip()[:100]
    found = list(_lookup_queryset(kind, text)[:LOOKUP_LIMIT]) if len(text) >= 2 else []
    return render(request, "library/_lookup.html", {"found": found, "field": field, "text": text})


@require_POST
@login_required
def document_links(request, pk):
    """Change the authors and the meetings, workstreams and actions of a document."""
    document = _document_for(request, pk, permissions.can_edit_document)
    form = DocumentLinksForm(request.POST)
    if form.is_valid():
        services.set_document_links(document, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The links were saved."))
    else:
        messages.error(request, _("Some of the chosen items do not exist."))
    return redirect(document)


@require_POST
@login_required
def document_item_actions(request, pk, item_pk):
    """Link a recommendation or conclusion to the actions that follow it up."""
    document = _document_for(request, pk, permissions.can_edit_document)
    item = get_object_or_404(document.items, pk=item_pk)
    form = ItemActionsForm(request.POST, prefix=f"item-{item.pk}")
    if form.is_valid():
        services.set_item_actions(item, form.cleaned_data["actions"], actor=request.user)
        messages.success(request, _("The follow-up actions were saved."))
    else:
        messages.error(request, _("Some of the chosen items do not exist."))
    return redirect(document)
