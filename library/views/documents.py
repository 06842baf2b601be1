"""Documents: the list, a page, writing and editing, files, items and links."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import permissions as roles
from commissions.models import Commission
from entrevilles import fragments
from entrevilles.languages import CODES
from library import pages, permissions
from meetings import permissions as meetings_permissions

from .. import services
from ..forms import (
    DocumentEditForm,
    DocumentFileForm,
    DocumentForm,
    DocumentItemForm,
    DocumentLinksForm,
    ItemActionsForm,
)
from ..models import Document, DocumentKind, Status
from ..related import related_experiences
from .common import _document_for, _page


def document_list(request):
    """The published documents the reader may see. What visitors see is rendered once per
    page, kind and language (library.pages)."""
    kind = request.GET.get("kind") or ""
    query = None
    if not request.user.is_authenticated and (not kind or kind in DocumentKind.values):
        query = f"{fragments.page_asked(request)}|{kind}"
    content = pages.for_visitors(
        request, pages.DOCUMENTS, query, lambda: _document_list_content(request, kind)
    )
    return render(
        request,
        "library/document_list.html",
        {"content": mark_safe(content)},  # noqa: S308 - our own template's output
    )


def _document_list_content(request, kind: str) -> str:
    documents = Document.objects.published()
    if not roles.can_see_members_only_content(request.user):
        documents = documents.visible_to_public()
    if kind:
        documents = documents.filter(kind=kind)
    documents = documents.prefetch_related("authors").order_by("-date", "-id")
    context = {
        "page": _page(request, documents, fragments.page_asked(request)),
        "can_create": permissions.can_create_document(request.user),
        "drafts": (
            Document.objects.exclude(status=Status.PUBLISHED).order_by("-id")[:20]
            if permissions.can_create_document(request.user)
            else []
        ),
    }
    return str(render_to_string("library/_document_list_content.html", context, request))


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
