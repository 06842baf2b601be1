"""The notifications part of the REST API: my follows, my notifications, my preferences.

Each person only ever reads and changes their own; every write goes through
notifications.services, with the same checks as the pages.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from . import services, writing
from .models import EventKind, Follow, Frequency, Notification, TargetType


class FollowSerializer(serializers.ModelSerializer):
    target_type = serializers.ChoiceField(choices=TargetType.choices)

    class Meta:
        model = Follow
        fields = ["id", "target_type", "target_id", "automatic", "created_at"]
        read_only_fields = ["id", "automatic", "created_at"]


class FollowViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """What I follow. POST {target_type, target_id} to follow; DELETE to stop."""

    serializer_class = FollowSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Follow.objects.none()
        return Follow.objects.filter(user=self.request.user, active=True).order_by("-pk")

    def perform_create(self, serializer):
        data = serializer.validated_data
        try:
            serializer.instance = services.follow(
                data["target_type"], data["target_id"], actor=self.request.user
            )
        except ValidationError as error:
            raise APIValidationError({"target_id": error.messages}) from error

    def perform_destroy(self, instance):
        services.unfollow(instance.target_type, instance.target_id, actor=self.request.user)


class NotificationSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=EventKind.choices)
    text = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    subject = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "subject", "url", "created_at", "read_at"]

    def get_text(self, obj) -> str:
        return writing.describe(obj.event, get_language())

    def get_url(self, obj) -> str:
        return obj.event.url

    def get_subject(self, obj) -> str:
        return obj.event.title_in(get_language())


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """My notifications, newest first (`?unread=1` for the unread ones)."""

    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Notification.objects.none()
        rows = Notification.objects.filter(user=self.request.user).select_related("event")
        if self.request.query_params.get("unread") in {"1", "true"}:
            rows = rows.filter(read_at=None)
        return rows

    @extend_schema(
        request=inline_serializer(
            "MarkRead", {"ids": serializers.ListField(child=serializers.IntegerField())}
        ),
        responses=inline_serializer("MarkedRead", {"marked": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request):
        """Mark the given notifications read, or all of them without `ids`."""
        ids = request.data.get("ids")
        if ids is not None and not (isinstance(ids, list) and all(isinstance(i, int) for i in ids)):
            raise APIValidationError({"ids": ["A list of notification ids."]})
        return Response({"marked": services.mark_read(actor=request.user, ids=ids)})


# {kind of event: frequency}: an object, one property per kind.
PREFERENCES_SCHEMA = {
    "type": "object",
    "additionalProperties": {"type": "string", "enum": list(Frequency.values)},
}


class _OneObjectSchema(AutoSchema):
    """The preferences are one object, not a list, although read by the list route."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class PreferencesViewSet(viewsets.ViewSet):
    """How I hear of each kind of event by e-mail: immediately, daily (default), weekly, never."""

    schema = _OneObjectSchema()

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: PREFERENCES_SCHEMA})
    def list(self, request):
        return Response(services.preferences_of(request.user))

    @extend_schema(
        request=inline_serializer("PreferencesChange", {"kind": serializers.CharField()}),
        responses={200: PREFERENCES_SCHEMA},
    )
    @action(detail=False, methods=["patch", "post"], url_path="set")
    def set(self, request):
        """Send {kind: frequency, ...} for the kinds to change."""
        choices = request.data if isinstance(request.data, dict) else {}
        errors = {
            kind: ["Unknown kind or frequency."]
            for kind, frequency in choices.items()
            if kind not in EventKind.values or frequency not in Frequency.values
        }
        if errors or not choices:
            raise APIValidationError(errors or {"kind": ["Give at least one kind."]})
        services.set_preferences(dict(choices), actor=request.user)
        return Response(services.preferences_of(request.user))


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("my/follows", FollowViewSet, basename="my-follow")
    router.register("my/notifications", NotificationViewSet, basename="my-notification")
    router.register("my/notification-preferences", PreferencesViewSet, basename="my-preferences")
