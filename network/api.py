"""The network part of the REST API: viewsets registered on the shared router.

Reading: regions, countries and organisations are published data, readable without a
token. People's names, positions and organisations are directory data too; their
e-mail address and phone appear only where network.permissions.can_view_contact_details
allows it, exactly as on the person's page (anonymous callers therefore see only the
contact details their owners made public). Writing asks the same permission functions
as the pages and goes through network.services; a validation error is a 400.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets

from entrevilles.api.kept import kept_page
from entrevilles.integers import parse_id
from network import permissions

from . import services
from .choices import DIRECTORY_RESULTS, DIRECTORY_RESULTS_SECONDS
from .forms import DirectoryFilterForm
from .models import Country, Organisation, Person, Region, SizeClass


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "name_en", "name_fr", "name_es"]


class CountrySerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Country
        fields = ["code", "alpha3", "name", "name_en", "name_fr", "name_es", "region"]


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """The network's world regions."""

    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    lookup_field = "code"
    pagination_class = None


class CountryViewSet(viewsets.ReadOnlyModelViewSet):
    """ISO 3166-1 countries with their region."""

    queryset = Country.objects.select_related("region")
    serializer_class = CountrySerializer
    lookup_field = "code"
    pagination_class = None


class OrganisationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="The name in the caller's language.")
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    name_fr = serializers.CharField(
        max_length=200, required=False, allow_blank=True, allow_null=True
    )
    name_es = serializers.CharField(
        max_length=200, required=False, allow_blank=True, allow_null=True
    )
    country = serializers.SlugRelatedField(slug_field="code", queryset=Country.objects.all())
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    working_languages = serializers.ListField(
        child=serializers.ChoiceField(choices=settings.LANGUAGE_CODES), required=False
    )
    population = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=10**10
    )
    # Derived from the population; "" while the population is unknown.
    size_class = serializers.ChoiceField(
        choices=SizeClass.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "name_en",
            "name_fr",
            "name_es",
            "kind",
            "country",
            "region",
            "population",
            "size_class",
            "latitude",
            "longitude",
            "working_languages",
            "membership_status",
            "website",
            "email",
            "external_ref",
        ]
        read_only_fields = ["size_class"]

    def validate(self, attrs):
        if self.instance is None and not any(
            attrs.get(field) for field in ("name_en", "name_fr", "name_es")
        ):
            raise serializers.ValidationError(
                {"name_en": [_("Give the organisation's name in at least one language.")]}
            )
        return attrs


DIRECTORY_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Words starting any of the names"),
    OpenApiParameter("region", OpenApiTypes.STR, description="Region code"),
    OpenApiParameter("country", OpenApiTypes.STR, description="ISO 3166-1 alpha-2 code"),
    OpenApiParameter("kind", OpenApiTypes.STR, description="Organisation kind"),
    OpenApiParameter("size_class", OpenApiTypes.STR, description="Size class"),
    OpenApiParameter("commission", OpenApiTypes.STR, description="Commission slug (members)"),
]


@extend_schema_view(list=extend_schema(parameters=DIRECTORY_PARAMETERS))
class OrganisationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The directory's organisations, with the directory page's filters."""

    serializer_class = OrganisationSerializer
    queryset = Organisation.objects.select_related("country", "region")

    def get_queryset(self):
        organisations = super().get_queryset()
        if self.action != "list":
            return organisations
        form = DirectoryFilterForm(self.request.query_params)
        if not form.is_valid():
            raise exceptions.ValidationError(form.errors)
        return form.filter(organisations)

    def list(self, request, *args, **kwargs):
        # The same page for every caller: kept as the directory page keeps its results
        # (DIRECTORY_RESULTS: until an organisation, a country, a region, a commission or
        # a membership changes).
        return kept_page(self, request, DIRECTORY_RESULTS, timeout=DIRECTORY_RESULTS_SECONDS)

    def _check_membership_fields(self, serializer, organisation=None):
        data = serializer.validated_data
        for field in ("kind", "membership_status", "external_ref"):
            if (
                field in data
                and (organisation is None or getattr(organisation, field) != data[field])
                and not permissions.can_manage_membership(self.request.user, organisation)
            ):
                raise exceptions.PermissionDenied(
                    _(
                        "Only network administrators change the kind, membership and reference of an organisation."
                    )
                )

    def create(self, request, *args, **kwargs):
        if not permissions.can_create_organisation(request.user):
            raise exceptions.PermissionDenied()
        return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        if not permissions.can_edit_organisation(request.user, self.get_object()):
            raise exceptions.PermissionDenied()
        return super().update(request, *args, **kwargs)

    def perform_create(self, serializer):
        self._check_membership_fields(serializer)
        data = dict(serializer.validated_data)
        serializer.instance = services.create_organisation(
            name=data.pop("name_en", "") or "",
            name_fr=data.pop("name_fr", "") or "",
            name_es=data.pop("name_es", "") or "",
            actor=self.request.user,
            **data,
        )

    def perform_update(self, serializer):
        organisation = serializer.instance
        self._check_membership_fields(serializer, organisation)
        serializer.instance = services.update_organisation(
            organisation, actor=self.request.user, **serializer.validated_data
        )


class PersonSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "first_name",
            "last_name",
            "full_name",
            "organisation",
            "position",
            "preferred_language",
            "contact_visibility",
            "email",
            "phone",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if not permissions.can_view_contact_details(getattr(request, "user", None), instance):
            data.pop("email", None)
            data.pop("phone", None)
        return data


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("organisation", OpenApiTypes.INT, description="Organisation id")
        ]
    )
)
class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """People of the directory; e-mail and phone only where their owner allows it."""

    serializer_class = PersonSerializer
    queryset = Person.objects.all()

    def get_queryset(self):
        people = super().get_queryset()
        organisation = self.request.query_params.get("organisation")
        if self.action == "list" and organisation:
            if parse_id(organisation) is None:
                raise exceptions.ValidationError({"organisation": [_("Give an organisation id.")]})
            people = people.filter(organisation_id=parse_id(organisation))
        return people

    def perform_create(self, serializer):
        organisation = serializer.validated_data.get("organisation")
        if not permissions.can_create_person(self.request.user, organisation):
            raise exceptions.PermissionDenied()
        serializer.instance = services.create_person(
            actor=self.request.user, **serializer.validated_data
        )

    def update(self, request, *args, **kwargs):
        if not permissions.can_edit_person(request.user, self.get_object()):
            raise exceptions.PermissionDenied()
        return super().update(request, *args, **kwargs)

    def perform_update(self, serializer):
        person = serializer.instance
        new_organisation = serializer.validated_data.get("organisation", person.organisation)
        if new_organisation != person.organisation and not permissions.can_create_person(
            self.request.user, new_organisation
        ):
            raise exceptions.PermissionDenied()
        serializer.instance = services.update_person(
            person, actor=self.request.user, **serializer.validated_data
        )


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("regions", RegionViewSet, basename="region")
    router.register("countries", CountryViewSet, basename="country")
    router.register("organisations", OrganisationViewSet, basename="organisation")
    router.register("people", PersonViewSet, basename="person")
