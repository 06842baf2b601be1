"""Matchmaking in the REST API, under the same permissions as the pages.

- GET  /api/matching/needs/{id}/              suggested experiences and peer cities
- POST /api/matching/needs/{id}/dismissals/   set a suggestion aside, with a reason
- DELETE /api/matching/needs/{id}/dismissals/{dismissal}/   take a set-aside suggestion back
- GET  /api/matching/experiences/{id}/        the needs an experience answers
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.response import Response

from entrevilles.api.fields import IdField
from entrevilles.errors import as_api_error
from entrevilles.integers import parse_id
from learning.matching import engine, services
from learning.models import DismissalReason, SuggestionDismissal
from learning.needs import permissions
from library import permissions as library_permissions
from library.models import Experience, Status
from network.models import Organisation

ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


class SuggestedExperienceSerializer(serializers.Serializer):
    experience = serializers.IntegerField(source="experience.pk")
    ref = serializers.SerializerMethodField()
    title = serializers.CharField(source="experience.title")
    city = serializers.IntegerField(source="experience.city.pk")
    city_name = serializers.CharField(source="experience.city.name")
    score = serializers.FloatField()
    strength = serializers.CharField(help_text="the score in words: strong, good or possible match")
    quote = serializers.CharField(help_text="the experience's sentence closest to the need")
    reasons = serializers.ListField(child=serializers.CharField())

    def get_ref(self, item) -> str:
        return item.experience.external_ref or f"experience:{item.experience.pk}"


class SuggestedCitySerializer(serializers.Serializer):
    city = serializers.IntegerField(source="city.pk")
    name = serializers.CharField(source="city.name")
    score = serializers.FloatField()
    strength = serializers.CharField(help_text="the score in words: strong, good or possible match")
    reasons = serializers.ListField(child=serializers.CharField())
    experiences = serializers.SerializerMethodField()

    def get_experiences(self, item) -> list[int]:
        return [suggestion.experience.pk for suggestion in item.experiences]


class SuggestionsSerializer(serializers.Serializer):
    need = serializers.IntegerField()
    experiences = SuggestedExperienceSerializer(many=True)
    cities = SuggestedCitySerializer(many=True)


class DismissalSerializer(serializers.Serializer):
    experience = IdField(required=False)
    organisation = IdField(required=False)
    reason = serializers.ChoiceField(choices=DismissalReason.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=services.MAX_NOTE)

    def validate(self, attrs):
        if ("experience" in attrs) == ("organisation" in attrs):
            raise serializers.ValidationError(
                gettext("Give either an experience or an organisation.")
            )
        return attrs


class DismissalOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    need = serializers.IntegerField(source="need_id")
    experience = serializers.IntegerField(source="experience_id", allow_null=True)
    organisation = serializers.IntegerField(source="organisation_id", allow_null=True)
    reason = serializers.CharField()
    note = serializers.CharField()


class AnsweredNeedSerializer(serializers.Serializer):
    need = serializers.IntegerField(source="need.pk")
    title = serializers.CharField(source="need.title")
    city = serializers.IntegerField(source="need.city.pk")
    city_name = serializers.CharField(source="need.city.name")
    score = serializers.FloatField()
    strength = serializers.CharField(help_text="the score in words: strong, good or possible match")
    reasons = serializers.ListField(child=serializers.CharField())


class NeedSuggestionsViewSet(viewsets.ViewSet):
    """Suggestions for the learning needs the caller may read."""

    lookup_value_regex = r"[0-9]+"

    def _need(self, request, pk):
        pk = parse_id(pk)
        if pk is None:
            raise Http404
        return get_object_or_404(
            permissions.visible_learning_needs(request.user).select_related("city__region"),
            pk=pk,
        )

    @extend_schema(parameters=[ID], responses=SuggestionsSerializer)
    def retrieve(self, request, pk=None):
        need = self._need(request, pk)
        found = engine.suggestions_for_need(need)
        return Response(
            SuggestionsSerializer(
                {"need": need.pk, "experiences": found.experiences, "cities": found.cities}
            ).data
        )

    @extend_schema(
        parameters=[ID], request=DismissalSerializer, responses={201: DismissalOutSerializer}
    )
    @action(detail=True, methods=["post"])
    def dismissals(self, request, pk=None):
        need = self._need(request, pk)
        if not permissions.can_edit_learning_need(request.user, need):
            if not request.user.is_authenticated:
                raise NotAuthenticated
            raise PermissionDenied
        data = DismissalSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        experience = organisation = None
        if "experience" in values:
            experience = get_object_or_404(
                Experience, pk=values["experience"], status=Status.PUBLISHED
            )
        else:
            organisation = get_object_or_404(Organisation, pk=values["organisation"])
        try:
            dismissal = services.dismiss_suggestion(
                need,
                experience=experience,
                organisation=organisation,
                reason=values["reason"],
                note=values.get("note", ""),
                actor=request.user,
            )
        except ValidationError as error:
            raise as_api_error(error) from error
        return Response(DismissalOutSerializer(dismissal).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            ID,
            OpenApiParameter(
                "dismissal", OpenApiTypes.INT, OpenApiParameter.PATH, description="set-aside id"
            ),
        ],
        request=None,
        responses={204: None},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"dismissals/(?P<dismissal>[0-9]+)",
        url_name="restore",
    )
    def restore(self, request, pk=None, dismissal=None):
        """Take back a set-aside suggestion: it may be suggested again."""
        need = self._need(request, pk)
        if not permissions.can_edit_learning_need(request.user, need):
            if not request.user.is_authenticated:
                raise NotAuthenticated
            raise PermissionDenied
        item = get_object_or_404(SuggestionDismissal, pk=int(dismissal), need=need)
        services.restore_suggestion(item, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExperienceNeedsViewSet(viewsets.ViewSet):
    """The needs (those the caller may read) that an experience answers."""

    lookup_value_regex = r"[0-9]+"

    @extend_schema(parameters=[ID], responses=AnsweredNeedSerializer(many=True))
    def retrieve(self, request, pk=None):
        pk = parse_id(pk)
        if pk is None:
            raise Http404
        experience = get_object_or_404(Experience.objects.select_related("city__region"), pk=pk)
        if not library_permissions.can_view_experience(request.user, experience):
            raise Http404
        needs = engine.needs_answered_by(
            experience, permissions.visible_learning_needs(request.user)
        )
        return Response(AnsweredNeedSerializer(needs, many=True).data)


def register(router) -> None:
    router.register("matching/needs", NeedSuggestionsViewSet, basename="need-suggestions")
    router.register("matching/experiences", ExperienceNeedsViewSet, basename="experience-needs")
