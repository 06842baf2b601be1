"""The API of learning needs and of the learning agenda, under the pages' permissions.

Anonymous callers read published needs and the agenda; writes need a token or a session
and go through learning.needs.services like the pages.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from commissions.models import Commission
from entrevilles import fragments
from entrevilles.api.fields import IdField
from entrevilles.api.kept import kept_page
from entrevilles.api.related import RelatedValuesMixin, attach_related_values
from entrevilles.api.schema import FiguresSchema
from entrevilles.errors import as_api_error
from learning import permissions
from learning.agenda.figures import Agenda, AgendaFilters
from learning.models import (
    AgendaPriority,
    LearningMode,
    LearningNeed,
    NeedStatus,
    NeedStatusChange,
    NeedVisibility,
    Urgency,
)
from learning.models.needs import MAX_TEXT_LENGTH, MAX_TITLE_LENGTH
from learning.needs import services
from learning.needs.forms import AgendaFilterForm, NeedFilterForm
from learning.needs.views import _filtered_needs
from library.models import Theme
from meetings.models import Meeting
from network.models import Organisation

LANGUAGES = settings.LANGUAGES


# The pages of the need list as anonymous callers read them (kept_page), until a need,
# its history, its city or its themes change (LearningConfig.ready), and at most
# KEPT_SECONDS.
KEPT_LIST = "learning:api-needs"
KEPT_SECONDS = 600


def forget_kept_list(ids=None, fields=None) -> None:
    """After cities were written in bulk (a subscriber of network.changes)."""
    fragments.forget(KEPT_LIST)


def forget_kept_list_when_changed() -> None:
    fragments.forget_when_changed(KEPT_LIST, [LearningNeed, NeedStatusChange, Organisation, Theme])


class StatusChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = NeedStatusChange
        fields = ["old_status", "new_status", "note", "changed_at"]


class NeedSerializer(RelatedValuesMixin, serializers.ModelSerializer):
    city_name = serializers.CharField(source="city.name", read_only=True)
    themes = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)
    history = StatusChangeSerializer(source="status_changes", many=True, read_only=True)

    class Meta:
        model = LearningNeed
        fields = [
            "id", "city", "city_name", "original_language",
            "title_en", "title_fr", "title_es", "problem_en", "problem_fr", "problem_es",
            "context_en", "context_fr", "context_es",
            "themes", "learning_modes", "working_languages", "urgency", "status", "visibility",
            "created_at", "updated_at", "history",
        ]  # fmt: skip
        read_only_fields = fields


class NeedWriteSerializer(serializers.Serializer):
    """Stating a need (POST) or changing it (PATCH: `language` other than the original
    writes a translation)."""

    city = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), required=False)
    original_language = serializers.ChoiceField(choices=LANGUAGES, required=False)
    language = serializers.ChoiceField(choices=LANGUAGES, required=False)
    title = serializers.CharField(max_length=MAX_TITLE_LENGTH, required=False, allow_blank=True)
    problem = serializers.CharField(max_length=MAX_TEXT_LENGTH, required=False, allow_blank=True)
    context = serializers.CharField(max_length=MAX_TEXT_LENGTH, required=False, allow_blank=True)
    themes = serializers.SlugRelatedField(
        slug_field="key", queryset=Theme.objects.all(), many=True, required=False
    )
    learning_modes = serializers.ListField(
        child=serializers.ChoiceField(choices=LearningMode.choices), required=False
    )
    working_languages = serializers.ListField(
        child=serializers.ChoiceField(choices=LANGUAGES), required=False
    )
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    visibility = serializers.ChoiceField(choices=NeedVisibility.choices, required=False)

    def texts(self) -> dict[str, str]:
        return {
            field: self.validated_data[field]
            for field in ("title", "problem", "context")
            if field in self.validated_data
        }


class NeedStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=NeedStatus.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


NEED_FILTERS = [
    OpenApiParameter(name, OpenApiTypes.STR, description=description)
    for name, description in [
        ("q", "Words in the title or the problem, any language"),
        ("theme", "Theme key"),
        ("region", "Region code"),
        ("size_class", "small_town, intermediary or metropolis"),
        ("status", "open, matched, in_partnership, met or withdrawn"),
        ("language", "Original language: en, fr or es"),
        ("mine", "Only the needs of the caller's own city (any value)"),
    ]
]


@extend_schema_view(list=extend_schema(parameters=NEED_FILTERS))
class LearningNeedViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Learning needs the caller may read; stating, changing and moving them along."""

    serializer_class = NeedSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def list(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return super().list(request, *args, **kwargs)
        return kept_page(self, request, KEPT_LIST, audience="anonymous", timeout=KEPT_SECONDS)

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False):
            return LearningNeed.objects.none()
        if self.action == "list":
            form = NeedFilterForm(self.request.query_params)
            if not form.is_valid():
                raise ValidationError(form.errors)
            needs = _filtered_needs(user, form.cleaned_data)
        else:
            needs = permissions.visible_learning_needs(user)
        needs = needs.select_related("city").prefetch_related("status_changes")
        if self.action != "list":
            needs = needs.prefetch_related("themes")
        return needs.order_by("-created_at", "-id")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None and self.action == "list":
            # A page of the list reads its themes as keys (entrevilles.api.related).
            attach_related_values(page, {"themes": "key"})
        return page

    def get_serializer_class(self):
        if self.action in ("create", "partial_update", "update"):
            return NeedWriteSerializer
        if self.action == "status":
            return NeedStatusSerializer
        return NeedSerializer

    @extend_schema(request=NeedWriteSerializer, responses={201: NeedSerializer})
    def create(self, request, *args, **kwargs):
        if not permissions.can_state_learning_needs(request.user):
            raise PermissionDenied
        serializer = NeedWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        missing = [name for name in ("city", "original_language") if name not in data]
        if missing:
            raise ValidationError({name: ["This field is required."] for name in missing})
        if not permissions.can_create_learning_need(request.user, data["city"]):
            raise PermissionDenied
        try:
            need = services.create_need(
                city=data["city"],
                original_language=data["original_language"],
                texts=serializer.texts(),
                themes=data.get("themes", ()),
                learning_modes=data.get("learning_modes", ()),
                working_languages=data.get("working_languages", ()),
                urgency=data.get("urgency", Urgency.MEDIUM),
                visibility=data.get("visibility", NeedVisibility.PUBLISHED),
                actor=request.user,
            )
        except DjangoValidationError as error:
            raise as_api_error(error) from error
        return Response(NeedSerializer(need).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=NeedWriteSerializer, responses=NeedSerializer)
    def partial_update(self, request, *args, **kwargs):
        need = self.get_object()
        if not permissions.can_edit_learning_need(request.user, need):
            raise PermissionDenied
        serializer = NeedWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "city" in data or "original_language" in data:
            raise ValidationError({"city": ["The city and the original language do not change."]})
        details = {
            name: data[name]
            for name in ("learning_modes", "working_languages", "urgency", "visibility")
            if name in data
        }
        try:
            services.update_need(
                need,
                language=data.get("language"),
                texts=serializer.texts(),
                themes=data.get("themes"),
                details=details,
                actor=request.user,
            )
        except DjangoValidationError as error:
            raise as_api_error(error) from error
        return Response(NeedSerializer(self.get_queryset().get(pk=need.pk)).data)

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            return Response(status=status.HTTP_405_METHOD_NOT_ALLOWED)
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=NeedStatusSerializer, responses=NeedSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Move the need to another status (kept in its history with who and when)."""
        need = self.get_object()
        if not permissions.can_change_learning_need_status(request.user, need):
            raise PermissionDenied
        serializer = NeedStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.change_need_status(
                need,
                status=serializer.validated_data["status"],
                note=serializer.validated_data.get("note", ""),
                actor=request.user,
            )
        except DjangoValidationError as error:
            raise as_api_error(error) from error
        return Response(NeedSerializer(self.get_queryset().get(pk=need.pk)).data)


class AgendaLineSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    demand = serializers.IntegerField()
    supply = serializers.IntegerField()
    gap = serializers.BooleanField(source="is_gap")


class AgendaGapSerializer(serializers.Serializer):
    theme = serializers.CharField(source="key")
    theme_label = serializers.CharField(source="label")
    region = serializers.CharField(source="extra.region_code")
    size_class = serializers.CharField(source="extra.size_code")
    demand = serializers.IntegerField()
    supply_elsewhere = serializers.IntegerField(source="extra.elsewhere")


class AgendaSerializer(serializers.Serializer):
    demand = serializers.IntegerField()
    supply = serializers.IntegerField()
    includes_private_needs = serializers.BooleanField()
    themes = AgendaLineSerializer(many=True)
    regions = AgendaLineSerializer(many=True)
    size_classes = AgendaLineSerializer(many=True)
    periods = AgendaLineSerializer(many=True)
    gaps = AgendaGapSerializer(many=True)


class LearningAgendaViewSet(viewsets.GenericViewSet):
    """The agenda's figures: demand and supply by theme, region, size class and period."""

    serializer_class = AgendaSerializer
    pagination_class = None
    schema = FiguresSchema()

    def get_queryset(self):
        # The figures are computed, not read from one model; nothing to list directly.
        return LearningNeed.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("theme", OpenApiTypes.STR),
            OpenApiParameter("region", OpenApiTypes.STR),
            OpenApiParameter("size_class", OpenApiTypes.STR),
            OpenApiParameter("period", OpenApiTypes.STR, enum=["year", "quarter"]),
        ]
    )
    def list(self, request):
        form = AgendaFilterForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors)
        include_private = permissions.can_see_private_learning_demand(request.user)
        agenda = Agenda(
            AgendaFilters(
                theme=form.cleaned_data["theme"],
                region=form.cleaned_data["region"],
                size_class=form.cleaned_data["size_class"],
                period=form.cleaned_data["period"] or "year",
                include_private=include_private,
            )
        )
        totals = agenda.totals()
        data = {
            "demand": totals.demand,
            "supply": totals.supply,
            "includes_private_needs": include_private,
            "themes": agenda.by_theme(),
            "regions": agenda.by_region(),
            "size_classes": agenda.by_size_class(),
            "periods": agenda.by_period(),
            "gaps": agenda.gaps(),
        }
        return Response(AgendaSerializer(data).data)


class PriorityNeedSerializer(serializers.ModelSerializer):
    city_name = serializers.CharField(source="city.name", read_only=True)

    class Meta:
        model = LearningNeed
        fields = ["id", "title", "city", "city_name", "status"]


class AgendaPrioritySerializer(serializers.ModelSerializer):
    commission = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    themes = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)
    needs = PriorityNeedSerializer(source="shown_needs", many=True, read_only=True)
    need_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = AgendaPriority
        fields = [
            "id", "commission", "original_language", "title_en", "title_fr", "title_es",
            "description_en", "description_fr", "description_es", "themes", "meeting",
            "adopted_on", "needs", "need_count",
        ]  # fmt: skip
        read_only_fields = fields


class AgendaPriorityWriteSerializer(serializers.Serializer):
    commission = serializers.SlugRelatedField(
        slug_field="slug", queryset=Commission.objects.all(), required=False
    )
    original_language = serializers.ChoiceField(choices=LANGUAGES, required=False)
    language = serializers.ChoiceField(choices=LANGUAGES, required=False)
    title = serializers.CharField(max_length=MAX_TITLE_LENGTH, required=False)
    description = serializers.CharField(
        max_length=MAX_TEXT_LENGTH, required=False, allow_blank=True
    )
    themes = serializers.SlugRelatedField(
        slug_field="key", queryset=Theme.objects.all(), many=True, required=False
    )
    needs = serializers.ListField(child=IdField(), required=False)
    meeting = serializers.PrimaryKeyRelatedField(
        queryset=Meeting.objects.all(), required=False, allow_null=True
    )
    adopted_on = serializers.DateField(required=False)


class AgendaPriorityViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Priorities of the commissions' learning agendas, with the needs behind each one
    (those the caller may read); ?commission=<slug> for one commission."""

    serializer_class = AgendaPrioritySerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        if self.action in ("create", "partial_update", "update"):
            return AgendaPriorityWriteSerializer
        return AgendaPrioritySerializer

    @extend_schema(parameters=[OpenApiParameter("commission", OpenApiTypes.STR)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        visible = permissions.visible_learning_needs(self.request.user)
        priorities = (
            AgendaPriority.objects.select_related("commission")
            .prefetch_related(
                "themes",
                Prefetch(
                    "needs",
                    queryset=visible.select_related("city").order_by("id"),
                    to_attr="shown_needs",
                ),
            )
            .annotate(need_count=Count("needs"))
            .order_by("commission__slug", "position", "-adopted_on", "id")
        )
        commission = self.request.query_params.get("commission")
        if commission and self.action == "list":
            priorities = priorities.filter(commission__slug=commission)
        return priorities

    def _needs(self, numbers):
        visible = permissions.visible_learning_needs(self.request.user)
        found = list(visible.filter(pk__in=numbers))
        missing = sorted(set(numbers) - {need.pk for need in found})
        if missing:
            raise ValidationError({"needs": [f"Unknown need(s): {missing}"]})
        return found

    @extend_schema(request=AgendaPriorityWriteSerializer, responses={201: AgendaPrioritySerializer})
    def create(self, request, *args, **kwargs):
        serializer = AgendaPriorityWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        missing = [
            name for name in ("commission", "original_language", "title") if name not in data
        ]
        if missing:
            raise ValidationError({name: ["This field is required."] for name in missing})
        if not permissions.can_adopt_agenda_priority(request.user, data["commission"]):
            raise PermissionDenied
        try:
            priority = services.create_agenda_priority(
                commission=data["commission"],
                original_language=data["original_language"],
                texts={"title": data["title"], "description": data.get("description", "")},
                needs=self._needs(data.get("needs", [])),
                themes=data.get("themes", ()),
                meeting=data.get("meeting"),
                adopted_on=data.get("adopted_on"),
                actor=request.user,
            )
        except DjangoValidationError as error:
            raise as_api_error(error) from error
        priority = self.get_queryset().get(pk=priority.pk)
        return Response(AgendaPrioritySerializer(priority).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AgendaPriorityWriteSerializer, responses=AgendaPrioritySerializer)
    def partial_update(self, request, *args, **kwargs):
        priority = self.get_object()
        if not permissions.can_edit_agenda_priority(request.user, priority):
            raise PermissionDenied
        serializer = AgendaPriorityWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        texts = {name: data[name] for name in ("title", "description") if name in data}
        try:
            services.update_agenda_priority(
                priority,
                language=data.get("language"),
                texts=texts,
                needs=self._needs(data["needs"]) if "needs" in data else None,
                themes=data.get("themes"),
                actor=request.user,
            )
        except DjangoValidationError as error:
            raise as_api_error(error) from error
        return Response(AgendaPrioritySerializer(self.get_queryset().get(pk=priority.pk)).data)

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            return Response(status=status.HTTP_405_METHOD_NOT_ALLOWED)
        return self.partial_update(request, *args, **kwargs)


def register(router) -> None:
    router.register("learning-needs", LearningNeedViewSet, basename="learning-need")
    router.register("learning-agenda", LearningAgendaViewSet, basename="learning-agenda")
    router.register("agenda-priorities", AgendaPriorityViewSet, basename="agenda-priority")
