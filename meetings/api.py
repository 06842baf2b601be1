"""The meetings part of the REST API: meetings, one's registrations and decisions.

Same rules as the pages (meetings.permissions); every write goes through meetings.services.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts import permissions as roles
from commissions.models import Commission
from entrevilles import fragments
from entrevilles.api.fields import IdField
from entrevilles.api.kept import kept_page
from entrevilles.api.related import RelatedValuesMixin, attach_related_values
from entrevilles.errors import as_api_error
from meetings import permissions
from network.models import Organisation, Person

from . import pickers, services
from .models import Decision, Invitation, Meeting, MeetingVisibility, Participation, Representation

# The pages of the meeting list as anonymous callers read them (kept_page), until a
# meeting, its commissions or its host change (MeetingsConfig.ready), and at most
# KEPT_SECONDS.
KEPT_LIST = "meetings:api-list"
KEPT_SECONDS = 600


def forget_kept_list_when_changed() -> None:
    fragments.forget_when_changed(KEPT_LIST, [Meeting, Commission, Organisation])


class MeetingSerializer(RelatedValuesMixin, serializers.ModelSerializer):
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


class InvitationSerializer(serializers.ModelSerializer):
    warning = serializers.SerializerMethodField(
        help_text="Why no e-mail was sent, in the reader's language; empty otherwise."
    )

    class Meta:
        model = Invitation
        fields = [
            "id",
            "meeting",
            "organisation",
            "person",
            "invited_at",
            "emailed_at",
            "no_address",
            "warning",
        ]
        read_only_fields = fields

    def get_warning(self, invitation) -> str:
        return services.no_address_message([invitation]) if invitation.no_address else ""


class InviteSerializer(serializers.Serializer):
    """Organisations and people to invite, by id."""

    organisations = serializers.ListField(
        child=IdField(),
        required=False,
        default=list,
        max_length=pickers.CHOSEN_LIMIT,
    )
    people = serializers.ListField(
        child=IdField(),
        required=False,
        default=list,
        max_length=pickers.CHOSEN_LIMIT,
    )

    def validate(self, attrs):
        organisations = list(Organisation.objects.filter(pk__in=attrs["organisations"]))
        people = list(Person.objects.filter(pk__in=attrs["people"]))
        if len(organisations) != len(set(attrs["organisations"])) or len(people) != len(
            set(attrs["people"])
        ):
            raise serializers.ValidationError(
                _("Some of the chosen organisations or people do not exist.")
            )
        if not organisations and not people:
            raise serializers.ValidationError(_("Tick the organisations or people to invite."))
        return {"organisations": organisations, "people": people}


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

    def list(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return super().list(request, *args, **kwargs)
        return kept_page(self, request, KEPT_LIST, audience="anonymous", timeout=KEPT_SECONDS)

    def get_queryset(self):
        meetings = Meeting.objects.all()
        if self.action != "list":
            meetings = meetings.select_related("host").prefetch_related("commissions")
        if not roles.is_network_member(self.request.user):
            meetings = meetings.filter(visibility=MeetingVisibility.PUBLIC)
        if slug := self.request.query_params.get("commission"):
            meetings = meetings.filter(commissions__slug=slug)
        return meetings.order_by("-starts_at", "-id")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None and self.action == "list":
            # A page of the list reads its commissions as slugs (entrevilles.api.related).
            attach_related_values(page, {"commissions": "slug"})
        return page

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

    @extend_schema(methods=["GET"], responses=InvitationSerializer(many=True), request=None)
    @extend_schema(
        methods=["POST"], request=InviteSerializer, responses=InvitationSerializer(many=True)
    )
    @action(detail=True, methods=["get", "post"], serializer_class=InviteSerializer)
    def invitations(self, request, pk=None):
        """The meeting's invitations (GET); invite organisations and people by id (POST).

        For the meeting's commission secretariats and the network administrators; each
        invitation is e-mailed in its reader's language.
        """
        if not request.user.is_authenticated:
            raise NotAuthenticated
        meeting = self.get_object()
        if not permissions.can_invite_to_meeting(request.user, meeting):
            raise PermissionDenied
        if request.method == "GET":
            invitations = meeting.invitations.select_related("organisation", "person").order_by(
                "-invited_at", "-id"
            )
            page = self.paginate_queryset(invitations)
            serializer = InvitationSerializer(page, many=True)
            return self.get_paginated_response(serializer.data)
        serializer = InviteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            new = services.invite(meeting, actor=request.user, **serializer.validated_data)
        except DjangoValidationError as error:
            raise as_api_error(error) from error
        return Response(InvitationSerializer(new, many=True).data, status=status.HTTP_201_CREATED)


class ParticipationSerializer(serializers.ModelSerializer):
    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all())
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())

    class Meta:
        model = Participation
        fields = ["id", "meeting", "person", "organisation", "status", "registered_at"]
        read_only_fields = ["organisation", "status", "registered_at"]
        # No unique (meeting, person) validator: its "already registered" answer would
        # come before the permission check and tell anyone whether someone is registered.
        # The service refuses a second registration once the permission is checked (and
        # lets a cancelled registration be made again).
        validators = []


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
        if not roles.is_network_member(self.request.user):
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


class LinkedDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField(source="get_absolute_url")


class RepresentationSerializer(serializers.ModelSerializer):
    documents = LinkedDocumentSerializer(many=True, read_only=True, source="visible_documents")
    document_ids = serializers.ListField(
        child=IdField(),
        write_only=True,
        max_length=pickers.CHOSEN_LIMIT,
        help_text="The library documents of the mandate or report back (replaces the list).",
    )

    class Meta:
        model = Representation
        fields = [
            "id",
            "event",
            "organisation",
            "person",
            "mandate",
            "report_back",
            "reported_at",
            "documents",
            "document_ids",
        ]
        read_only_fields = [
            "event",
            "organisation",
            "person",
            "mandate",
            "report_back",
            "reported_at",
        ]


class RepresentationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Who represents the network at external events, their mandate, report back and the
    library documents linked to them (those the reader may read). PATCH `document_ids`
    links documents: the representatives and the event's secretariats."""

    serializer_class = RepresentationSerializer
    filterset_fields = ["event"]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return (
            Representation.objects.select_related("event")
            .prefetch_related(
                "event__commissions",
                Prefetch(
                    "documents",
                    pickers.visible_documents(self.request.user).order_by("-date", "-id"),
                    to_attr="visible_documents",
                ),
            )
            .order_by("event_id", "id")
        )

    def perform_update(self, serializer):
        representation = serializer.instance
        user = self.request.user
        if not user.is_authenticated:
            raise NotAuthenticated
        if not permissions.can_link_representation_documents(user, representation):
            raise PermissionDenied
        if "document_ids" not in serializer.validated_data:
            return
        ids = list(dict.fromkeys(serializer.validated_data["document_ids"]))
        visible = pickers.visible_documents(user)
        chosen = list(visible.filter(pk__in=ids))
        if len(chosen) != len(ids):
            raise serializers.ValidationError(
                {"document_ids": _("Some of the chosen documents do not exist.")}
            )
        hidden = representation.documents.exclude(pk__in=visible.values("pk"))
        services.set_representation_documents(representation, [*chosen, *hidden], actor=user)
        representation.visible_documents = chosen

    def update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return super().update(request, *args, **kwargs)


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("meetings", MeetingViewSet, basename="meeting")
    router.register("participations", ParticipationViewSet, basename="participation")
    router.register("decisions", DecisionViewSet, basename="decision")
    router.register("representations", RepresentationViewSet, basename="representation")
