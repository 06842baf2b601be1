"""The REST API of learning groups, the learning dashboards and the world map.

The same permission functions as the pages; every write goes through services_groups.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.decorators.gzip import gzip_page
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.response import Response

from actions.models import Workstream
from commissions.models import Commission
from entrevilles.api.schema import FiguresSchema
from entrevilles.languages import CODES
from learning import permissions
from learning.dashboards import figures as dashboard
from learning.dashboards import worldmap
from learning.dashboards.figures import Filters
from learning.groups import services
from learning.models import (
    GroupConclusion,
    GroupMembership,
    GroupSession,
    GroupVisibility,
    LearningGroup,
    Partnership,
)
from library.models import Theme
from meetings.models import Meeting
from network.models import Organisation


def _require_login(request) -> None:
    if not request.user.is_authenticated:
        raise NotAuthenticated


def _translations(data, field):
    return {code: data.get(f"{field}_{code}") or "" for code in CODES}


class MembershipSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = GroupMembership
        fields = ["id", "organisation", "organisation_name", "joined_on", "left_on"]


class SessionSerializer(serializers.ModelSerializer):
    meeting = serializers.PrimaryKeyRelatedField(
        queryset=Meeting.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = GroupSession
        fields = [
            "id",
            "held_on",
            "place",
            "summary",
            "summary_en",
            "summary_fr",
            "summary_es",
            "meeting",
        ]
        read_only_fields = ["summary"]


class ConclusionSerializer(serializers.ModelSerializer):
    action_status = serializers.CharField(source="action.status", read_only=True, default=None)
    session = serializers.PrimaryKeyRelatedField(
        queryset=GroupSession.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = GroupConclusion
        fields = [
            "id",
            "number",
            "concluded_on",
            "text",
            "text_en",
            "text_fr",
            "text_es",
            "session",
            "action",
            "action_status",
        ]
        read_only_fields = ["number", "text", "action"]


class LearningGroupSerializer(serializers.ModelSerializer):
    facilitating_commission = serializers.SlugRelatedField(
        slug_field="slug", queryset=Commission.objects.all()
    )
    themes = serializers.SlugRelatedField(
        slug_field="key", many=True, queryset=Theme.objects.all(), required=False
    )
    # Named apart from the other "visibility" fields of the API, whose choices differ.
    visible_to = serializers.ChoiceField(
        source="visibility", choices=GroupVisibility.choices, required=False
    )

    class Meta:
        model = LearningGroup
        fields = [
            "slug",
            "name",
            "name_en",
            "name_fr",
            "name_es",
            "purpose",
            "purpose_en",
            "purpose_fr",
            "purpose_es",
            "themes",
            "facilitating_commission",
            "visible_to",
            "started_on",
        ]
        read_only_fields = ["name", "purpose"]


class LearningGroupDetailSerializer(LearningGroupSerializer):
    members = MembershipSerializer(source="memberships", many=True, read_only=True)
    sessions = SessionSerializer(many=True, read_only=True)
    conclusions = ConclusionSerializer(many=True, read_only=True)

    class Meta(LearningGroupSerializer.Meta):
        fields = [*LearningGroupSerializer.Meta.fields, "members", "sessions", "conclusions"]


class MemberInputSerializer(serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    joined_on = serializers.DateField(required=False, allow_null=True)


class LeaveInputSerializer(serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    left_on = serializers.DateField(required=False, allow_null=True)


class ConclusionActionInputSerializer(serializers.Serializer):
    workstream = serializers.PrimaryKeyRelatedField(queryset=Workstream.objects.all())
    due_date = serializers.DateField(required=False, allow_null=True)


class LearningGroupViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Learning groups with their members, sessions and conclusions."""

    lookup_field = "slug"

    def get_queryset(self):
        groups = (
            permissions.visible_learning_groups(self.request.user)
            .select_related("facilitating_commission")
            .prefetch_related("themes")
            .order_by("name", "id")
        )
        if self.action != "list":
            groups = groups.prefetch_related(
                "memberships__organisation",
                "sessions",
                "conclusions__action",
            )
        return groups

    def get_serializer_class(self):
        if self.action == "list" or self.action == "create":
            return LearningGroupSerializer
        return LearningGroupDetailSerializer

    def perform_create(self, serializer):
        _require_login(self.request)
        if not permissions.can_create_learning_group(self.request.user):
            raise PermissionDenied
        data = serializer.validated_data
        commission = data["facilitating_commission"]
        if not permissions.learning_group_commissions(self.request.user).filter(pk=commission.pk):
            raise PermissionDenied
        serializer.instance = services.create_group(
            slug=data["slug"],
            names=_translations(data, "name"),
            purposes=_translations(data, "purpose"),
            facilitating_commission=commission,
            themes=data.get("themes", []),
            visibility=data.get("visibility", GroupVisibility.PUBLIC),
            started_on=data.get("started_on"),
            actor=self.request.user,
        )

    def _managed(self):
        _require_login(self.request)
        group = self.get_object()
        if not permissions.can_manage_learning_group(self.request.user, group):
            raise PermissionDenied
        return group

    @extend_schema(request=MemberInputSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def members(self, request, slug=None):
        group = self._managed()
        data = MemberInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = services.add_member(
            group,
            data.validated_data["organisation"],
            joined_on=data.validated_data.get("joined_on"),
            actor=request.user,
        )
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LeaveInputSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def leave(self, request, slug=None):
        group = self._managed()
        data = LeaveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = get_object_or_404(
            GroupMembership, group=group, organisation=data.validated_data["organisation"]
        )
        membership = services.member_leaves(
            membership, left_on=data.validated_data.get("left_on"), actor=request.user
        )
        return Response(MembershipSerializer(membership).data)

    @extend_schema(request=SessionSerializer, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def sessions(self, request, slug=None):
        group = self._managed()
        data = SessionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = services.add_session(
            group,
            held_on=data.validated_data["held_on"],
            place=data.validated_data.get("place", ""),
            summaries=_translations(data.validated_data, "summary"),
            meeting=data.validated_data.get("meeting"),
            actor=request.user,
        )
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ConclusionSerializer, responses=ConclusionSerializer)
    @action(detail=True, methods=["post"])
    def conclusions(self, request, slug=None):
        group = self._managed()
        data = ConclusionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        conclusion = services.add_conclusion(
            group,
            texts=_translations(data.validated_data, "text"),
            concluded_on=data.validated_data.get("concluded_on"),
            session=data.validated_data.get("session"),
            actor=request.user,
        )
        return Response(ConclusionSerializer(conclusion).data, status=status.HTTP_201_CREATED)

    def _session_for_edit(self, session_id) -> GroupSession:
        _require_login(self.request)
        session = get_object_or_404(
            GroupSession.objects.select_related("group"), group=self.get_object(), pk=session_id
        )
        if not permissions.can_edit_group_session(self.request.user, session):
            raise PermissionDenied
        return session

    @extend_schema(
        request=SessionSerializer,
        responses=SessionSerializer,
        parameters=[OpenApiParameter("session_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["patch"],
        url_path=r"sessions/(?P<session_id>[0-9]+)",
        url_name="session-edit",
    )
    def session_edit(self, request, slug=None, session_id=None):
        """Correct a recorded session (only the fields sent change)."""
        session = self._session_for_edit(session_id)
        data = SessionSerializer(session, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        session = services.update_session(
            session,
            held_on=values.get("held_on", session.held_on),
            place=values.get("place", session.place),
            summaries={
                code: values.get(f"summary_{code}", getattr(session, f"summary_{code}") or "")
                for code in CODES
            },
            meeting=values.get("meeting", session.meeting),
            actor=request.user,
        )
        return Response(SessionSerializer(session).data)

    @extend_schema(
        request=ConclusionSerializer,
        responses=ConclusionSerializer,
        parameters=[OpenApiParameter("number", OpenApiTypes.INT, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["patch"],
        url_path=r"conclusions/(?P<number>[0-9]+)",
        url_name="conclusion-edit",
    )
    def conclusion_edit(self, request, slug=None, number=None):
        """Correct a recorded conclusion (only the fields sent change; its number stays)."""
        _require_login(request)
        conclusion = get_object_or_404(
            GroupConclusion.objects.select_related("group", "session"),
            group=self.get_object(),
            number=number,
        )
        if not permissions.can_edit_group_conclusion(request.user, conclusion):
            raise PermissionDenied
        data = ConclusionSerializer(conclusion, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        services.update_conclusion(
            conclusion,
            texts={
                code: values.get(f"text_{code}", getattr(conclusion, f"text_{code}") or "")
                for code in CODES
            },
            concluded_on=values.get("concluded_on", conclusion.concluded_on),
            session=values.get("session", conclusion.session),
            actor=request.user,
        )
        conclusion = GroupConclusion.objects.select_related("action").get(pk=conclusion.pk)
        return Response(ConclusionSerializer(conclusion).data)

    @extend_schema(
        request=ConclusionActionInputSerializer,
        responses=ConclusionSerializer,
        parameters=[OpenApiParameter("number", OpenApiTypes.INT, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"conclusions/(?P<number>[0-9]+)/action",
        url_name="conclusion-action",
    )
    def conclusion_action(self, request, slug=None, number=None):
        group = self._managed()
        conclusion = get_object_or_404(GroupConclusion, group=group, number=number)
        data = ConclusionActionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        workstream = Workstream.objects.prefetch_related("commissions").get(
            pk=data.validated_data["workstream"].pk
        )
        if conclusion.action_id is None and not permissions.can_turn_conclusion_into_action(
            request.user, conclusion, workstream
        ):
            raise PermissionDenied
        services.conclusion_to_action(
            conclusion,
            workstream=workstream,
            due_date=data.validated_data.get("due_date"),
            actor=request.user,
        )
        conclusion = GroupConclusion.objects.select_related("action").get(pk=conclusion.pk)
        return Response(ConclusionSerializer(conclusion).data, status=status.HTTP_201_CREATED)


class BarSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class DashboardGroupSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    member_count = serializers.IntegerField()
    open_conclusion_count = serializers.IntegerField()


class FiguresSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_status = BarSerializer(many=True)
    by_theme = BarSerializer(many=True)
    by_region = BarSerializer(many=True)
    groups = DashboardGroupSerializer(many=True)
    open_conclusion_count = serializers.IntegerField()


class LearningDashboardViewSet(viewsets.ViewSet):
    """Dashboard figures: the programme's (list) and a commission's (by its slug)."""

    lookup_field = "slug"
    serializer_class = FiguresSerializer
    schema = FiguresSchema()

    def _figures(self, commission=None):
        filters = Filters(commission=commission.slug) if commission else Filters()
        figures = dashboard.dashboard_figures(
            filters.apply(Partnership.objects.all()),
            filters.apply_to_groups(permissions.visible_learning_groups(self.request.user)),
        )
        return Response(FiguresSerializer(figures).data)

    @extend_schema(responses=FiguresSerializer)
    def list(self, request):
        _require_login(request)
        if not permissions.can_view_programme_dashboard(request.user):
            raise PermissionDenied
        return self._figures()

    @extend_schema(
        responses=FiguresSerializer,
        parameters=[OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH)],
    )
    def retrieve(self, request, slug=None):
        _require_login(request)
        commission = get_object_or_404(Commission, slug=slug)
        if not permissions.can_view_commission_dashboard(request.user, commission):
            raise PermissionDenied
        return self._figures(commission)


# The map's data is mostly numbers: compressed, it weighs a fifth.
@method_decorator(gzip_page, name="dispatch")
class LearningMapViewSet(viewsets.ViewSet):
    """The world map's cities and partnership links as GeoJSON (same filters as the page)."""

    @extend_schema(
        parameters=[
            OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.QUERY)
            for name in ("status", "theme", "region", "commission")
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def list(self, request):
        filters = Filters.from_query(request.query_params)
        groups = filters.apply_to_groups(permissions.visible_learning_groups(request.user))
        if filters.status or filters.region:
            groups = groups.none()
        data = worldmap.map_data(
            filters.apply(permissions.visible_partnerships(request.user)), groups
        )
        # Written as JSON text directly (the renderer would rebuild thousands of objects).
        return HttpResponse(worldmap.geojson(data), content_type="application/json")


def register(router) -> None:
    router.register("learning-groups", LearningGroupViewSet, basename="learning-group")
    router.register("learning-dashboard", LearningDashboardViewSet, basename="learning-dashboard")
    router.register("learning-map", LearningMapViewSet, basename="learning-map")
