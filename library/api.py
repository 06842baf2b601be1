"""The library part of the REST API: viewsets registered on the shared router.

Read-only: taxonomies, published experiences and the documents the caller may see.
Writes go through the pages (and their services) for now.
"""

from django.db.models import Q
from rest_framework import serializers, viewsets

from accounts import permissions

from .models import SDG, Document, DocumentFile, DocumentItem, Experience, PlanningPrinciple, Theme


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


class ExperienceSerializer(serializers.ModelSerializer):
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

    def get_queryset(self):
        user = self.request.user
        experiences = Experience.objects.select_related("city").prefetch_related(
            "themes", "sdgs", "principles"
        )
        if permissions.can_review_experiences(user):
            visible = experiences
        else:
            visible = experiences.filter(
                Q(status="published") | Q(city__in=permissions.scopes(user).representative)
            )
        return visible.order_by("-published_at", "-id")


class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    """Published documents; members-only ones for members of the network."""

    serializer_class = DocumentSerializer
    filterset_fields = ["kind", "original_language"]

    def get_queryset(self):
        documents = Document.objects.published()
        if not permissions.can_see_members_only_content(self.request.user):
            documents = documents.visible_to_public()
        return documents.prefetch_related(
            "themes", "commissions", "authors", "versions__files", "items__principles"
        ).order_by("-date", "-id")


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("themes", ThemeViewSet, basename="theme")
    router.register("sdgs", SDGViewSet, basename="sdg")
    router.register("planning-principles", PlanningPrincipleViewSet, basename="planning-principle")
    router.register("experiences", ExperienceViewSet, basename="experience")
    router.register("documents", DocumentViewSet, basename="document")
