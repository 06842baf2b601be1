"""The circulars part of the REST API: circulars by role, their deliveries, the public archive.

Same rules as the pages (accounts.permissions); every write goes through circulars.services.
"""

from django.conf import settings
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.authentication import require_recent_check_for_api
from actions.models import Action
from circulars import permissions
from commissions.models import Commission
from entrevilles.integers import parse_id
from library.models import Document
from meetings.models import Meeting
from network.models import OrganisationKind, Person, Region

from . import audiences, delivery, markup, services
from .models import Circular, CircularKind, Delivery, Segment, SegmentKind

LANGS = settings.LANGUAGE_CODES


class SegmentSerializer(serializers.ModelSerializer):
    commission = serializers.SlugRelatedField(
        slug_field="slug", queryset=Commission.objects.all(), required=False, allow_null=True
    )
    region = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all(), required=False, allow_null=True
    )
    meeting = serializers.PrimaryKeyRelatedField(
        queryset=Meeting.objects.all(), required=False, allow_null=True
    )
    organisation_kind = serializers.ChoiceField(
        choices=OrganisationKind.choices, required=False, allow_blank=True
    )
    people = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), many=True, required=False
    )
    kind = serializers.ChoiceField(choices=SegmentKind.choices)

    class Meta:
        model = Segment
        fields = [
            "kind",
            "exclude",
            "commission",
            "organisation_kind",
            "region",
            "meeting",
            "people",
        ]


class CircularSerializer(serializers.ModelSerializer):
    commissions = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Commission.objects.all(), required=False
    )
    meetings = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Meeting.objects.all(), required=False
    )
    documents = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Document.objects.all(), required=False
    )
    actions = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Action.objects.all(), required=False
    )
    segments = SegmentSerializer(many=True, required=False)
    kind = serializers.ChoiceField(choices=CircularKind.choices)

    class Meta:
        model = Circular
        fields = [
            "id",
            "kind",
            "commissions",
            "original_language",
            *(f"subject_{code}" for code in LANGS),
            *(f"body_{code}" for code in LANGS),
            "status",
            "meetings",
            "documents",
            "actions",
            "segments",
            "scheduled_for",
            "approved_at",
            "sending_started_at",
            "sent_at",
            "created_at",
        ]
        read_only_fields = [
            "status",
            "scheduled_for",
            "approved_at",
            "sending_started_at",
            "sent_at",
            "created_at",
        ]


def _values(data: dict, instance: Circular | None = None) -> dict:
    def pick(name, default):
        return data.get(name, default)

    return {
        "kind": pick("kind", instance.kind if instance else None),
        "commissions": pick("commissions", list(instance.commissions.all()) if instance else []),
        "original_language": pick(
            "original_language", instance.original_language if instance else "en"
        ),
        "subjects": {
            c: pick(f"subject_{c}", instance.subject_in(c) if instance else "") for c in LANGS
        },
        "bodies": {c: pick(f"body_{c}", instance.body_in(c) if instance else "") for c in LANGS},
        "meetings": pick("meetings", list(instance.meetings.all()) if instance else []),
        "documents": pick("documents", list(instance.documents.all()) if instance else []),
        "actions": pick("actions", list(instance.actions.all()) if instance else []),
    }


class CircularViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Circulars one may work on: secretariats and network administrators draft, approve
    and send them; presidencies read their commissions' ones."""

    serializer_class = CircularSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["status", "kind"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Circular.objects.none()
        return (
            permissions.visible_circulars(self.request.user)
            .prefetch_related(
                "commissions",
                "meetings",
                "documents",
                "actions",
                Prefetch(
                    "segments",
                    Segment.objects.select_related("commission", "region").prefetch_related(
                        "people"
                    ),
                ),
            )
            .order_by("-created_at", "-id")
        )

    def _segments(self, circular, data):
        segments = data.get("segments")
        if segments is not None:
            services.set_audience(circular, [dict(s) for s in segments], actor=self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        values = _values(data)
        if not permissions.can_create_circular(
            self.request.user
        ) or not permissions.can_draft_circular_for(self.request.user, values["commissions"]):
            raise PermissionDenied
        circular = services.create_circular(**values, actor=self.request.user)
        self._segments(circular, data)
        serializer.instance = Circular.objects.get(pk=circular.pk)

    def perform_update(self, serializer):
        circular = serializer.instance
        if not permissions.can_edit_circular(self.request.user, circular):
            raise PermissionDenied
        data = dict(serializer.validated_data)
        values = _values(data, circular)
        if not permissions.can_draft_circular_for(self.request.user, values["commissions"]):
            raise PermissionDenied
        services.update_circular(circular, **values, actor=self.request.user)
        self._segments(circular, data)
        serializer.instance = self.get_queryset().get(pk=circular.pk)

    def perform_destroy(self, instance):
        if not permissions.can_edit_circular(self.request.user, instance):
            raise PermissionDenied
        services.delete_circular(instance, actor=self.request.user)

    def _transition(self, request, check, operation):
        circular = self.get_object()
        if not check(request.user, circular):
            raise PermissionDenied
        operation(circular)
        circular = self.get_queryset().get(pk=circular.pk)
        return Response(self.get_serializer(circular).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve the circular. A browser session must have confirmed its password in
        the last minutes (/accounts/confirm/); a token needs no more."""
        require_recent_check_for_api(request)
        return self._transition(
            request,
            permissions.can_approve_circular,
            lambda c: services.approve_circular(c, actor=request.user),
        )

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        """Fix the recipients and start sending (the worker delivers). A browser session
        must have confirmed its password in the last minutes; a token needs no more."""
        require_recent_check_for_api(request)
        return self._transition(
            request,
            permissions.can_send_circular,
            lambda c: services.start_sending(c, actor=request.user),
        )

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def stop(self, request, pk=None):
        return self._transition(
            request,
            permissions.can_send_circular,
            lambda c: services.stop_sending(c, actor=request.user),
        )

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._transition(
            request,
            permissions.can_send_circular,
            lambda c: services.resume_sending(c, actor=request.user),
        )

    @extend_schema(
        request=inline_serializer(
            "ResendUnconfirmed",
            {
                "confirm": serializers.BooleanField(
                    help_text="True once the relay's log shows these messages did not go out."
                )
            },
        ),
        responses=inline_serializer(
            "ResendUnconfirmedResult", {"queued": serializers.IntegerField()}
        ),
    )
    @action(detail=True, methods=["post"], url_path="resend-unconfirmed")
    def resend_unconfirmed(self, request, pk=None):
        """Queue the unconfirmed deliveries again (list them first:
        /api/circular-deliveries/?circular=<id>&status=unconfirmed)."""
        circular = self.get_object()
        if not permissions.can_send_circular(request.user, circular):
            raise PermissionDenied
        confirm = serializers.BooleanField().to_internal_value(request.data.get("confirm", False))
        count = services.resend_unconfirmed(circular, actor=request.user, confirmed=confirm)
        return Response({"queued": count})

    @extend_schema(
        request=inline_serializer(
            "ConfirmDelivered",
            {
                "message_ids": serializers.CharField(
                    help_text="Text from the relay's log; every Message-ID of this circular in it counts."
                )
            },
        ),
        responses=inline_serializer("ConfirmDeliveredResult", {"sent": serializers.IntegerField()}),
    )
    @action(detail=True, methods=["post"], url_path="confirm-delivered")
    def confirm_delivered(self, request, pk=None):
        """Mark as sent the unconfirmed deliveries the relay's log shows were delivered."""
        circular = self.get_object()
        if not permissions.can_send_circular(request.user, circular):
            raise PermissionDenied
        text = request.data.get("message_ids", "")
        if isinstance(text, list):
            text = " ".join(str(item) for item in text)
        count = services.confirm_delivered(circular, str(text)[:200_000], actor=request.user)
        return Response({"sent": count})

    @extend_schema(
        responses=inline_serializer(
            "AudiencePreview",
            {
                "total": serializers.IntegerField(),
                "without_email": serializers.IntegerField(),
                "suppressed": serializers.IntegerField(),
                "by_language": serializers.DictField(child=serializers.DictField()),
                "first": serializers.ListField(child=serializers.DictField()),
            },
        )
    )
    @action(detail=True, methods=["get"])
    def preview(self, request, pk=None):
        """Who would receive it: how many, in which language, and the first ones."""
        circular = self.get_object()
        found = audiences.preview(circular, viewer=request.user)
        return Response(
            {
                "total": found.total,
                "without_email": found.without_email,
                "suppressed": found.suppressed,
                "by_language": {
                    code: {"recipients": count, "receive": receives}
                    for code, _name, count, receives in found.by_language
                },
                "first": [
                    {
                        "name": f"{r['first_name']} {r['last_name']}",
                        # Left out where its owner's visibility choice hides it.
                        "email": r["address"] or None,
                        "language": r["language"],
                    }
                    for r in found.first
                ],
            }
        )

    @extend_schema(
        responses=inline_serializer(
            "DeliveryStats", {s: serializers.IntegerField() for s in ("total", "done", "sent")}
        )
    )
    @action(detail=True, methods=["get"])
    def stats(self, request, pk=None):
        """Delivery counts per status."""
        circular = self.get_object()
        if not permissions.can_view_deliveries(request.user, circular):
            raise PermissionDenied
        return Response(delivery.progress(circular.pk))


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = [
            "id",
            "circular",
            "email",
            "language",
            "status",
            "attempts",
            "sent_at",
            "smtp_reply",
            "permanent",
            "updated_at",
        ]

    def to_representation(self, instance):
        request = self.context.get("request")
        audiences.hide_private_address(getattr(request, "user", None), instance)
        return super().to_representation(instance)


class DeliveryViewSet(viewsets.ReadOnlyModelViewSet):
    """The delivery log of one circular (`?circular=<id>`), for those who may send it."""

    serializer_class = DeliverySerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["status"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Delivery.objects.none()
        circular_id = parse_id(self.request.query_params.get("circular"))
        if circular_id is None:
            raise NotFound
        circular = (
            permissions.visible_circulars(self.request.user)
            .prefetch_related("commissions")
            .filter(pk=circular_id)
            .first()
        )
        if circular is None:
            raise NotFound
        if not permissions.can_view_deliveries(self.request.user, circular):
            raise PermissionDenied
        return Delivery.objects.filter(circular=circular).select_related("person").order_by("id")


class ArchiveSerializer(serializers.ModelSerializer):
    commissions = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    versions = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Circular
        fields = ["id", "kind", "commissions", "original_language", "sent_at", "versions", "url"]

    def get_versions(self, circular) -> dict:
        return {
            code: {
                "subject": circular.subject_in(code),
                "html": markup.render_html(circular.body_in(code), site=settings.SITE_URL),
                "text": markup.absolute_links(circular.body_in(code), settings.SITE_URL),
            }
            for code in circular.languages
        }

    def get_url(self, circular) -> str:
        from django.urls import reverse

        return settings.SITE_URL + reverse("circulars:archive_circular", args=[circular.pk])


class ArchiveViewSet(viewsets.ReadOnlyModelViewSet):
    """Every sent circular, in each of its languages (public)."""

    serializer_class = ArchiveSerializer

    def get_queryset(self):
        return Circular.objects.sent().prefetch_related("commissions").order_by("-sent_at", "-id")


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("circulars", CircularViewSet, basename="circular")
    router.register("circular-deliveries", DeliveryViewSet, basename="circular-delivery")
    router.register("circular-archive", ArchiveViewSet, basename="circular-archive")
