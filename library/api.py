"""The library part of the REST API: viewsets registered on the shared router.

Read-only: taxonomies and published experiences. Documents are read by those who may
see them and changed (PATCH) by those who may edit them, through the same service as
the edit page.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from accounts import permissions as roles
from actions.models import Action, Workstream
from commissions.models import Commission
from entrevilles import fragments
from entrevilles.api.kept import kept_page
from entrevilles.api.related import RelatedValuesMixin, attach_related_values
from entrevilles.errors import as_api_error
from library import pages, permissions
from meetings.models import Meeting
from network.models import Organisation

from . import services
from .models import (
    SDG,
    Document,
    DocumentFile,
    DocumentItem,
    Experience,
    PlanningPrinciple,
    Theme,
)

# The pages of the experience list as anonymous callers read them (kept_page), until an
# experience, its city or its themes, goals or principles change (LibraryConfig.ready;
# imports in bulk forget it themselves), and at most KEPT_SECONDS.
KEPT_LIST = "library:api-experiences"
KEPT_SECONDS = 600


def forget_kept_list(ids=None, fields=None) -> None:
    """After experiences or their cities were written in bulk (no signal); also a
    subscriber of network.changes."""
    fragments.forget(KEPT_LIST)
    pages.forget_all()


def forget_kept_list_when_changed() -> None:
    fragments.forget_when_changed(
        KEPT_LIST, [Experience, Organisation, Theme, SDG, PlanningPrinciple]
    )


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["key", "label_en", "label_fr", "label_es"]


class SDGSerializer(serializers.ModelSerializer):
    class Meta:
        model = SDG
        fields = ["number", "title_en", "title_fr", "title_es"]


class PlanningPrincipleSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanningPrinciple
        fields = ["number", "title_en", "title_fr", "title_es"]


class ExperienceSerializer(RelatedValuesMixin, serializers.ModelSerializer):
    themes = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)
    sdgs = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    principles = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    city_name = serializers.CharField(source="city.name", read_only=True)

    class Meta:
        model = Experience
        fields = [
            "id", "city", "city_name", "original_language",
            "title_en", "title_fr", "title_es", "summary_en", "summary_fr", "summary_es",
            "problem_en", "problem_fr", "problem_es", "approach_en", "approach_fr", "approach_es",
            "results_en", "results_fr", "results_es", "lessons_en", "lessons_fr", "lessons_es",
            "start_year", "end_year", "themes", "sdgs", "principles",
            "offers_peer_learning", "status", "published_at",
        ]  # fmt: skip


class DocumentFileSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="version.number", read_only=True)
    is_final = serializers.BooleanField(source="version.is_final", read_only=True)

    class Meta:
        model = DocumentFile
        fields = ["version", "is_final", "language", "file"]


class DocumentItemSerializer(serializers.ModelSerializer):
    principles = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)

    class Meta:
        model = DocumentItem
        fields = ["number", "kind", "text_en", "text_fr", "text_es", "principles"]


class DocumentSerializer(serializers.ModelSerializer):
    themes = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)
    commissions = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    files = serializers.SerializerMethodField()
    items = DocumentItemSerializer(many=True, read_only=True)

    class Meta:
        model = Document
        fields = [
            "id", "kind", "original_language", "title_en", "title_fr", "title_es",
            "abstract_en", "abstract_fr", "abstract_es", "date", "authors", "commissions",
            "themes", "tags", "visibility", "status", "files", "items",
        ]  # fmt: skip

    def get_files(self, document) -> list[dict]:
        files = [f for v in document.versions.all() for f in v.files.all()]
        return DocumentFileSerializer(files, many=True, context=self.context).data


class DocumentUpdateSerializer(serializers.Serializer):
    """What PATCH may change; fields left out keep their values."""

    # Checked against DocumentKind and DocumentVisibility by the service.
    kind = serializers.CharField(max_length=20, required=False)
    date = serializers.DateField(required=False, allow_null=True)
    visibility = serializers.CharField(max_length=10, required=False)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, max_length=50
    )
    title_en = serializers.CharField(max_length=300, required=False, allow_blank=True)
    title_fr = serializers.CharField(max_length=300, required=False, allow_blank=True)
    title_es = serializers.CharField(max_length=300, required=False, allow_blank=True)
    abstract_en = serializers.CharField(required=False, allow_blank=True)
    abstract_fr = serializers.CharField(required=False, allow_blank=True)
    abstract_es = serializers.CharField(required=False, allow_blank=True)
    themes = serializers.SlugRelatedField(
        slug_field="key", many=True, queryset=Theme.objects.all(), required=False
    )
    sdgs = serializers.SlugRelatedField(
        slug_field="number", many=True, queryset=SDG.objects.all(), required=False
    )
    principles = serializers.SlugRelatedField(
        slug_field="number", many=True, queryset=PlanningPrinciple.objects.all(), required=False
    )
    commissions = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Commission.objects.all(), required=False
    )
    authors = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Organisation.objects.all(), required=False
    )
    meetings = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Meeting.objects.all(), required=False
    )
    workstreams = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Workstream.objects.all(), required=False
    )
    actions = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Action.objects.all(), required=False
    )


class ThemeViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Theme.objects.all()
    serializer_class = ThemeSerializer
    lookup_field = "key"


class SDGViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = SDG.objects.all()
    serializer_class = SDGSerializer
    lookup_field = "number"


class PlanningPrincipleViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = PlanningPrinciple.objects.all()
    serializer_class = PlanningPrincipleSerializer
    lookup_field = "number"


class ExperienceViewSet(viewsets.ReadOnlyModelViewSet):
    """Published experiences; the caller's own city's drafts too, and every one for reviewers."""

    serializer_class = ExperienceSerializer
    filterset_fields = ["city", "original_language", "status"]

    def list(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return super().list(request, *args, **kwargs)
        return kept_page(self, request, KEPT_LIST, audience="anonymous", timeout=KEPT_SECONDS)

    def get_queryset(self):
        user = self.request.user
        experiences = Experience.objects.select_related("city")
        if self.action != "list":
            experiences = experiences.prefetch_related("themes", "sdgs", "principles")
        if permissions.can_review_experiences(user):
            visible = experiences
        else:
            visible = experiences.filter(
                Q(status="published") | Q(city__in=roles.represented_organisation_ids(user))
            )
        return visible.order_by("-published_at", "-id")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None and self.action == "list":
            # A page of the list reads these as keys and numbers (entrevilles.api.related).
            attach_related_values(page, {"themes": "key", "sdgs": "number", "principles": "number"})
        return page


class DocumentViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Published documents; members-only ones for members of the network. PATCH changes a
    document for those who may edit it (its commissions' secretariats, administrators)."""

    serializer_class = DocumentSerializer
    filterset_fields = ["kind", "original_language"]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        documents = Document.objects.published()
        if not roles.can_see_members_only_content(self.request.user):
            documents = documents.visible_to_public()
        return documents.prefetch_related(
            "themes", "commissions", "authors", "versions__files", "items__principles"
        ).order_by("-date", "-id")

    def get_serializer_class(self):
        if self.action == "partial_update":
            return DocumentUpdateSerializer
        return DocumentSerializer

    @extend_schema(request=DocumentUpdateSerializer, responses=DocumentSerializer)
    def partial_update(self, request, *args, **kwargs):
        document = get_object_or_404(
            Document.objects.prefetch_related("commissions"), pk=kwargs["pk"]
        )
        if not permissions.can_view_document(request.user, document):
            raise NotFound
        if not permissions.can_edit_document(request.user, document):
            raise PermissionDenied
        serializer = DocumentUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        texts = {
            code: {
                field: data.pop(f"{field}_{code}")
                for field in ("title", "abstract")
                if f"{field}_{code}" in data
            }
            for code in ("en", "fr", "es")
        }
        details = {name: data.pop(name) for name in services.DOCUMENT_DETAILS if name in data}
        if "commissions" in data and not roles.is_network_admin(request.user):
            mine = roles.secretariat_commission_ids(request.user)
            chosen = data["commissions"]
            if any(c.pk not in mine for c in chosen if c not in document.commissions.all()):
                raise PermissionDenied
            data["commissions"] = [c for c in chosen if c.pk in mine] + [
                c for c in document.commissions.all() if c.pk not in mine
            ]
        try:
            services.update_document(
                document, texts=texts, details=details, actor=request.user, **data
            )
        except ValidationError as error:
            raise as_api_error(error) from error
        fresh = Document.objects.prefetch_related(
            "themes", "commissions", "authors", "versions__files", "items__principles"
        ).get(pk=document.pk)
        return Response(DocumentSerializer(fresh, context={"request": request}).data)


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("themes", ThemeViewSet, basename="theme")
    router.register("sdgs", SDGViewSet, basename="sdg")
    router.register("planning-principles", PlanningPrincipleViewSet, basename="planning-principle")
    router.register("experiences", ExperienceViewSet, basename="experience")
    router.register("documents", DocumentViewSet, basename="document")
