"""The actions part of the REST API: workstreams, actions and their updates.

Anyone reads the action plan; secretariats create and edit; owners post updates.
Every write goes through actions.services, under actions.permissions.
"""

from django.utils import timezone
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotAuthenticated, PermissionDenied

from actions import permissions
from commissions.models import Commission
from entrevilles import fragments
from entrevilles.api.kept import kept_page
from entrevilles.api.related import RelatedValuesMixin, attach_related_values
from entrevilles.languages import CODES
from meetings import permissions as meetings_permissions
from meetings.models import Decision
from network.models import Organisation, Person

from . import services
from .models import Action, ActionStatus, ActionUpdate, Workstream

# The pages of the action list, the same for every caller (kept_page), until an action,
# its workstream, decision or owners change (ActionsConfig.ready); kept per date, since
# what is overdue moves with it, and at most KEPT_SECONDS.
KEPT_LIST = "actions:api-list"
KEPT_SECONDS = 600


def forget_kept_list_when_changed() -> None:
    fragments.forget_when_changed(
        KEPT_LIST, [Action, Workstream, Decision, Organisation, Commission, Person]
    )


def _require_login(request) -> None:
    if not request.user.is_authenticated:
        raise NotAuthenticated


class WorkstreamSerializer(serializers.ModelSerializer):
    commissions = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Commission.objects.all()
    )

    class Meta:
        model = Workstream
        fields = ["id", "title", "title_en", "title_fr", "title_es", "commissions", "opened_by"]
        read_only_fields = ["title"]


class WorkstreamViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = WorkstreamSerializer
    queryset = Workstream.objects.prefetch_related("commissions").order_by("position", "id")

    def perform_create(self, serializer):
        _require_login(self.request)
        data = serializer.validated_data
        if not meetings_permissions.can_create_meeting_for(self.request.user, data["commissions"]):
            raise PermissionDenied
        serializer.instance = services.create_workstream(
            titles={c: data.get(f"title_{c}") or "" for c in CODES},
            commissions=data["commissions"],
            opened_by=data.get("opened_by"),
            actor=self.request.user,
        )


class ActionSerializer(RelatedValuesMixin, serializers.ModelSerializer):
    owner_organisations = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Organisation.objects.all(), required=False
    )
    owner_commissions = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Commission.objects.all(), required=False
    )
    owner_people = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Person.objects.all(), required=False
    )
    is_overdue = serializers.BooleanField(read_only=True, source="is_overdue_now")

    class Meta:
        model = Action
        fields = [
            "id",
            "workstream",
            "decision",
            "title",
            "title_en",
            "title_fr",
            "title_es",
            "owner_organisations",
            "owner_commissions",
            "owner_people",
            "due_date",
            "status",
            "progress",
            "priority",
            "is_overdue",
            "updated_at",
        ]
        read_only_fields = ["title", "updated_at"]


class ActionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Actions, late ones first; filter by workstream, status or owner organisation."""

    serializer_class = ActionSerializer
    filterset_fields = ["workstream", "status", "owner_organisations", "decision"]

    # A page of the list reads its owners as ids and slugs (entrevilles.api.related).
    listed_relations = {
        "owner_organisations": "pk",
        "owner_commissions": "slug",
        "owner_people": "pk",
    }

    def list(self, request, *args, **kwargs):
        today = timezone.localdate().isoformat()
        return kept_page(self, request, KEPT_LIST, audience=today, timeout=KEPT_SECONDS)

    def get_queryset(self):
        if self.action == "list":
            return Action.objects.overdue_first()
        return Action.objects.with_owners().overdue_first()

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None and self.action == "list":
            attach_related_values(page, self.listed_relations)
        return page

    def perform_create(self, serializer):
        _require_login(self.request)
        data = dict(serializer.validated_data)
        workstream = data.pop("workstream", None)
        if workstream is None:
            raise serializers.ValidationError({"workstream": ["This field is required."]})
        if not permissions.can_manage_workstream(self.request.user, workstream):
            raise PermissionDenied
        titles = {c: data.pop(f"title_{c}", "") or "" for c in CODES}
        serializer.instance = services.create_action(
            titles=titles, workstream=workstream, actor=self.request.user, **data
        )

    def perform_update(self, serializer):
        _require_login(self.request)
        action = serializer.instance
        if not permissions.can_edit_action(self.request.user, action):
            raise PermissionDenied
        data = dict(serializer.validated_data)
        workstream = data.get("workstream")
        if workstream is not None and not permissions.can_manage_workstream(
            self.request.user, workstream
        ):
            raise PermissionDenied
        owners = {
            key: data.pop(key, None)
            for key in ("owner_organisations", "owner_commissions", "owner_people")
        }
        services.update_action(action, changes=data, actor=self.request.user, **owners)


class ActionUpdateSerializer(serializers.ModelSerializer):
    # Blank when the update did not change the status: the schema says so.
    status_before = serializers.ChoiceField(
        choices=ActionStatus.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = ActionUpdate
        fields = [
            "id",
            "action",
            "text",
            "progress",
            "status_before",
            "status_after",
            "attachment",
            "created_at",
        ]
        read_only_fields = ["status_before", "created_at"]


class ActionUpdateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The log of updates; an action's owners post them (status_after changes its status)."""

    serializer_class = ActionUpdateSerializer
    filterset_fields = ["action"]
    queryset = ActionUpdate.objects.order_by("-created_at", "-id")

    def perform_create(self, serializer):
        _require_login(self.request)
        data = serializer.validated_data
        action = Action.objects.with_owners().get(pk=data["action"].pk)
        if not permissions.can_update_action(self.request.user, action):
            raise PermissionDenied
        serializer.instance = services.post_update(
            action,
            text=data["text"],
            progress=data.get("progress"),
            status=data.get("status_after") or None,
            attachment=data.get("attachment"),
            actor=self.request.user,
        )


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("workstreams", WorkstreamViewSet, basename="workstream")
    router.register("actions", ActionViewSet, basename="action")
    router.register("action-updates", ActionUpdateViewSet, basename="action-update")
