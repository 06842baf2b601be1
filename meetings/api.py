"""The meetings part of the REST API: meetings, one's registrations and decisions.

Same rules as the pages (accounts.permissions); every write goes through meetings.services.
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.permissions import IsAuthenticated

from accounts import permissions
from commissions.models import Commission
from network.models import Organisation, Person

from . import services
from .models import Decision, Meeting, MeetingVisibility, Participation


class MeetingSerializer(serializers.ModelSerializer):
    commissions = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Commission.objects.all()
    )
    host = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "title",
            "title_en",
            "title_fr",
            "title_es",
            "purpose_en",
            "purpose_fr",
            "purpose_es",
            "commissions",
            "host",
            "venue",
            "starts_at",
            "ends_at",
            "time_zone",
            "online_url",
            "status",
            "visibility",
            "capacity",
        ]
        read_only_fields = ["title"]

    def validate(self, attrs):
        start = attrs.get("starts_at", getattr(self.instance, "starts_at", None))
        end = attrs.get("ends_at", getattr(self.instance, "ends_at", None))
        if start and end and end < start:
            raise serializers.ValidationError(
                {"ends_at": _("The meeting cannot end before it starts.")}
            )
        return attrs


class MeetingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Meetings anyone may see; secretariats create and edit their commissions' meetings."""

    serializer_class = MeetingSerializer
    filterset_fields = ["status", "visibility"]

    def get_queryset(self):
        meetings = Meeting.objects.select_related("host").prefetch_related("commissions")
        if not permissions.is_network_member(self.request.user):
            meetings = meetings.filter(visibility=MeetingVisibility.PUBLIC)
        if slug := self.request.query_params.get("commission"):
            meetings = meetings.filter(commissions__slug=slug)
        return meetings.order_by("-starts_at", "-id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        commissions = data.pop("commissions")
        if not permissions.can_create_meeting_for(self.request.user, commissions):
            raise PermissionDenied
        titles = {c: data.pop(f"title_{c}", "") or "" for c in ("en", "fr", "es")}
        purposes = {c: data.pop(f"purpose_{c}", "") or "" for c in ("en", "fr", "es")}
        serializer.instance = services.create_meeting(
            commissions=commissions,
            titles=titles,
            purposes=purposes,
            actor=self.request.user,
            **data,
        )

    def perform_update(self, serializer):
        meeting = serializer.instance
        if not permissions.can_manage_meeting(self.request.user, meeting):
            raise PermissionDenied
        data = dict(serializer.validated_data)
        commissions = data.pop("commissions", None)
        if commissions is not None and not permissions.can_create_meeting_for(
            self.request.user, commissions
        ):
            raise PermissionDenied
        services.update_meeting(
            meeting, changes=data, commissions=commissions, actor=self.request.user
        )


class ParticipationSerializer(serializers.ModelSerializer):
    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all())
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())

    class Meta:
        model = Participation
        fields = ["id", "meeting", "person", "organisation", "status", "registered_at"]
        read_only_fields = ["organisation", "status", "registered_at"]


class ParticipationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """One's own registrations and those one made; POST registers, DELETE cancels."""

    serializer_class = ParticipationSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False):
            return Participation.objects.none()
        return (
            Participation.objects.filter(Q(person__user=user) | Q(registered_by=user))
            .select_related("meeting", "person")
            .order_by("-registered_at", "-id")
        )

    def perform_create(self, serializer):
        meeting = get_object_or_404(
            Meeting.objects.prefetch_related("commissions"),
            pk=serializer.validated_data["meeting"].pk,
        )
        person = serializer.validated_data["person"]
        if not permissions.can_view_meeting(self.request.user, meeting):
            raise PermissionDenied
        if not permissions.can_register_person(self.request.user, meeting, person):
            raise PermissionDenied
        serializer.instance = services.register(meeting, person, actor=self.request.user)

    def perform_destroy(self, instance):
        services.cancel_registration(instance, actor=self.request.user)


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "meeting", "number", "text", "text_en", "text_fr", "text_es"]
        read_only_fields = ["number", "text"]


class DecisionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Decisions of the meetings one may see; the meeting's secretariat records them."""

    serializer_class = DecisionSerializer
    filterset_fields = ["meeting"]

    def get_queryset(self):
        decisions = Decision.objects.select_related("meeting")
        if not permissions.is_network_member(self.request.user):
            decisions = decisions.filter(meeting__visibility=MeetingVisibility.PUBLIC)
        return decisions.order_by("meeting_id", "number")

    def perform_create(self, serializer):
        if not self.request.user.is_authenticated:
            raise NotAuthenticated
        meeting = Meeting.objects.prefetch_related("commissions").get(
            pk=serializer.validated_data["meeting"].pk
        )
        if not permissions.can_manage_meeting(self.request.user, meeting):
            raise PermissionDenied
        texts = {c: serializer.validated_data.get(f"text_{c}") or "" for c in ("en", "fr", "es")}
        serializer.instance = services.record_decision(
            meeting, texts=texts, actor=self.request.user
        )


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("meetings", MeetingViewSet, basename="meeting")
    router.register("participations", ParticipationViewSet, basename="participation")
    router.register("decisions", DecisionViewSet, basename="decision")
