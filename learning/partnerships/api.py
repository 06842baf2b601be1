"""Partnerships in the REST API: partnerships (answers and status moves), activities,
monitoring reports and learning notes, under the permissions of the pages."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.response import Response

from accounts import permissions as roles
from commissions.models import Commission
from entrevilles import fragments
from entrevilles.api.fields import IdField
from entrevilles.api.kept import kept_page
from entrevilles.api.related import RelatedValuesMixin, attach_related_values
from learning.models import (
    Activity,
    LearningNeed,
    LearningNote,
    Milestone,
    MonitoringReport,
    Partnership,
    PartnershipParty,
)
from learning.partnerships import permissions, services
from library.models import Experience, Theme
from network.models import Organisation, Person

# The pages of the partnership list as anonymous callers read them (kept_page), until a
# partnership, its parties, their organisations, its commission, needs, experiences or
# themes change (LearningConfig.ready), and at most KEPT_SECONDS.
KEPT_LIST = "learning:api-partnerships"
KEPT_SECONDS = 600


def forget_kept_list(ids=None, fields=None) -> None:
    """After organisations were written in bulk (a subscriber of network.changes)."""
    fragments.forget(KEPT_LIST)


def forget_kept_list_when_changed() -> None:
    fragments.forget_when_changed(
        KEPT_LIST,
        [
            Partnership,
            PartnershipParty,
            Organisation,
            Commission,
            LearningNeed,
            Experience,
            Theme,
        ],
    )


def _require_login(request) -> None:
    if not request.user.is_authenticated:
        raise NotAuthenticated


class LoginToCreate:
    """Anonymous writers are told to sign in before their input is even read."""

    def create(self, request, *args, **kwargs):
        _require_login(request)
        return super().create(request, *args, **kwargs)


def _parties_prefetch():
    return Prefetch("parties", queryset=PartnershipParty.objects.select_related("organisation"))


class PartySerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    role = serializers.CharField(read_only=True)
    response = serializers.CharField(read_only=True)

    class Meta:
        model = PartnershipParty
        fields = ["id", "organisation", "organisation_name", "role", "response", "responded_at"]


class PartnershipSerializer(RelatedValuesMixin, serializers.ModelSerializer):
    parties = PartySerializer(many=True, read_only=True)
    status = serializers.CharField(read_only=True)
    facilitating_commission = serializers.SlugRelatedField(
        slug_field="slug", queryset=Commission.objects.all(), required=False, allow_null=True
    )
    learners = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Organisation.objects.all(), write_only=True
    )
    mentors = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Organisation.objects.all(), write_only=True
    )
    allowed_transitions = serializers.SerializerMethodField()

    class Meta:
        model = Partnership
        fields = [
            "id",
            "title",
            "title_en",
            "title_fr",
            "title_es",
            "objectives",
            "original_language",
            "facilitating_commission",
            "parties",
            "learners",
            "mentors",
            "needs",
            "experiences",
            "themes",
            "status",
            "allowed_transitions",
            "starts_on",
            "ends_on",
            "reporting_every_months",
            "next_report_due_on",
            "outcomes",
            "created_at",
        ]
        read_only_fields = [
            "title_en",
            "title_fr",
            "title_es",
            "next_report_due_on",
            "outcomes",
            "created_at",
        ]
        extra_kwargs = {"needs": {"required": False}, "experiences": {"required": False}}

    def get_allowed_transitions(self, partnership) -> list[str]:
        request = self.context.get("request")
        if request is None or not permissions.can_change_partnership_status(
            request.user, partnership
        ):
            return []
        return list(services.allowed_transitions(partnership))


class AnswerSerializer(serializers.Serializer):
    organisation = IdField()
    answer = serializers.ChoiceField(choices=["accept", "decline"])


class StatusMoveSerializer(serializers.Serializer):
    to = serializers.CharField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PartnershipViewSet(
    LoginToCreate,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Partnerships one may read (agreed ones are public); filter by status."""

    serializer_class = PartnershipSerializer
    filterset_fields = ["status", "facilitating_commission"]

    def list(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return super().list(request, *args, **kwargs)
        return kept_page(self, request, KEPT_LIST, audience="anonymous", timeout=KEPT_SECONDS)

    # A page of the list reads these as ids (entrevilles.api.related), not as instances.
    listed_relations = {"needs": "pk", "experiences": "pk", "themes": "pk"}

    def get_queryset(self):
        partnerships = (
            permissions.visible_partnerships(self.request.user)
            .select_related("facilitating_commission")
            .prefetch_related(_parties_prefetch())
            .order_by("-created_at", "-id")
        )
        if self.action == "list":
            return partnerships
        return partnerships.prefetch_related("needs", "experiences", "themes")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None and self.action == "list":
            attach_related_values(page, self.listed_relations)
        return page

    def perform_create(self, serializer):
        _require_login(self.request)
        user = self.request.user
        data = serializer.validated_data
        commission = data.get("facilitating_commission")
        ids = [o.pk for o in list(data["learners"]) + list(data["mentors"])]
        if not permissions.can_propose_partnership_with(user, commission, ids):
            raise PermissionDenied
        serializer.instance = services.propose_partnership(
            title=data.get("title") or "",
            objectives=data.get("objectives") or "",
            original_language=data.get("original_language") or "en",
            learners=data["learners"],
            mentors=data["mentors"],
            commission=commission,
            needs=data.get("needs", []),
            experiences=data.get("experiences", []),
            themes=data.get("themes", []),
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
            reporting_every_months=data.get("reporting_every_months") or 3,
            actor=user,
        )

    def _fresh(self, pk) -> Partnership:
        return self.get_queryset().get(pk=pk)

    @extend_schema(request=AnswerSerializer, responses=PartnershipSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """A party's representative accepts or declines the proposal."""
        _require_login(request)
        partnership = self.get_object()
        body = AnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        party = next(
            (
                p
                for p in partnership.parties.all()
                if p.organisation_id == body.data["organisation"]
            ),
            None,
        )
        if party is None:
            raise serializers.ValidationError(
                {"organisation": [_("This organisation is not a party of the partnership.")]}
            )
        party.partnership = partnership
        if not permissions.can_respond_to_partnership(request.user, party):
            raise PermissionDenied
        services.respond_to_partnership(
            party, accept=body.data["answer"] == "accept", actor=request.user
        )
        return Response(self.get_serializer(self._fresh(partnership.pk)).data)

    @extend_schema(request=StatusMoveSerializer, responses=PartnershipSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def move(self, request, pk=None):
        """The facilitating secretariat moves the partnership to another status."""
        _require_login(request)
        partnership = self.get_object()
        if not permissions.can_change_partnership_status(request.user, partnership):
            raise PermissionDenied
        body = StatusMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.change_partnership_status(
            partnership, body.data["to"], note=body.data["note"], actor=request.user
        )
        return Response(self.get_serializer(self._fresh(partnership.pk)).data)


class ActivitySerializer(serializers.ModelSerializer):
    kind = serializers.CharField()
    participants = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Person.objects.all(), required=False
    )
    milestone = serializers.PrimaryKeyRelatedField(
        queryset=Milestone.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Activity
        fields = [
            "id",
            "partnership",
            "milestone",
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "place",
            "participants",
            "outcome",
        ]
        read_only_fields = ["outcome"]
        extra_kwargs = {"ends_on": {"required": False}}


class ActivityViewSet(
    LoginToCreate,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Activities of the partnerships one may read; parties and secretariat plan them."""

    serializer_class = ActivitySerializer
    filterset_fields = ["partnership", "kind"]

    def get_queryset(self):
        return (
            Activity.objects.filter(
                partnership__in=permissions.visible_partnerships(self.request.user).values("pk")
            )
            .prefetch_related("participants")
            .order_by("starts_on", "id")
        )

    def perform_create(self, serializer):
        _require_login(self.request)
        data = dict(serializer.validated_data)
        partnership = Partnership.objects.prefetch_related("parties").get(
            pk=data.pop("partnership").pk
        )
        if not permissions.visible_partnerships(self.request.user).filter(
            pk=partnership.pk
        ).exists() or not permissions.can_plan_partnership(self.request.user, partnership):
            raise PermissionDenied
        serializer.instance = services.plan_activity(partnership, actor=self.request.user, **data)


class ReportSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    period_end = serializers.DateField(read_only=True)
    scores = serializers.DictField(child=serializers.IntegerField(), write_only=True)
    indicator_values = serializers.DictField(
        child=serializers.DecimalField(max_digits=14, decimal_places=2),
        write_only=True,
        required=False,
    )
    self_assessment = serializers.SerializerMethodField()

    class Meta:
        model = MonitoringReport
        fields = [
            "id",
            "partnership",
            "organisation",
            "period_start",
            "period_end",
            "progress",
            "difficulties",
            "next_steps",
            "scores",
            "indicator_values",
            "self_assessment",
            "status",
            "secretariat_comment",
            "submitted_at",
        ]
        read_only_fields = ["secretariat_comment", "submitted_at"]
        # One report a period is the service's rule, with its own message.
        validators = []

    def get_self_assessment(self, report) -> dict[str, int]:
        return {str(score.criterion_id): score.score for score in report.scores.all()}


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True)
    ask_for_more = serializers.BooleanField(default=False)


class ReportViewSet(
    LoginToCreate,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Monitoring reports: the parties, the commission and the network read them."""

    serializer_class = ReportSerializer
    filterset_fields = ["partnership", "organisation", "status"]

    def get_queryset(self):
        if not self.request.user.is_authenticated:
            return MonitoringReport.objects.none()
        return (
            MonitoringReport.objects.filter(
                partnership__in=permissions.partnerships_with_reports_for(self.request.user).values(
                    "pk"
                )
            )
            .select_related("partnership")
            .prefetch_related("scores")
            .order_by("partnership", "period_start")
        )

    def perform_create(self, serializer):
        _require_login(self.request)
        user = self.request.user
        data = serializer.validated_data
        partnership = Partnership.objects.prefetch_related("parties").get(pk=data["partnership"].pk)
        if not permissions.can_file_report(user, partnership) or not roles.represents(
            user, data["organisation"]
        ):
            raise PermissionDenied
        serializer.instance = services.file_report(
            partnership,
            organisation=data["organisation"],
            period_start=data["period_start"],
            progress=data.get("progress") or "",
            difficulties=data.get("difficulties") or "",
            next_steps=data.get("next_steps") or "",
            scores=data.get("scores") or {},
            indicator_values=data.get("indicator_values") or {},
            actor=user,
        )

    @extend_schema(request=CommentSerializer, responses=ReportSerializer)
    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        """The secretariat comments, or asks for more (the report goes back to its party)."""
        report = self.get_object()
        if not permissions.can_comment_report(request.user, report):
            raise PermissionDenied
        body = CommentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.comment_report(
            report,
            comment=body.data["comment"],
            ask_for_more=body.data["ask_for_more"],
            actor=request.user,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=report.pk)).data)


class LearningNoteSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    roadmap = serializers.SerializerMethodField()

    class Meta:
        model = LearningNote
        fields = [
            "id",
            "partnership",
            "original_language",
            "title",
            "context",
            "challenges",
            "reflections",
            "lessons",
            "roadmap",
            "status",
            "document",
            "published_at",
        ]
        read_only_fields = fields

    def get_roadmap(self, note) -> list[dict]:
        return [{"text": item.text, "action": item.action_id} for item in note.roadmap.all()]


class LearningNoteViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Learning notes: published ones for everyone, drafts for their partnership."""

    serializer_class = LearningNoteSerializer
    filterset_fields = ["partnership", "status"]

    def get_queryset(self):
        return (
            permissions.visible_learning_notes(self.request.user)
            .select_related("partnership")
            .prefetch_related("roadmap")
            .order_by("-published_at", "-id")
        )

    @extend_schema(request=None, responses=LearningNoteSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """The facilitating secretariat publishes the note to the knowledge base."""
        _require_login(request)
        note = self.get_object()
        if not permissions.can_publish_learning_note(request.user, note):
            raise PermissionDenied
        services.publish_learning_note(note, actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=note.pk)).data)


def register(router) -> None:
    router.register("partnerships", PartnershipViewSet, basename="partnership")
    router.register("partnership-activities", ActivityViewSet, basename="partnership-activity")
    router.register("partnership-reports", ReportViewSet, basename="partnership-report")
    router.register("learning-notes", LearningNoteViewSet, basename="learning-note")
