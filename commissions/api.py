"""The commissions part of the REST API: viewsets registered on the shared router.

Published data (names, mandates, presidencies, secretariats, members) is readable without
a token; contact details follow each person's visibility; adding and removing members
follows the same permission functions as the pages.
"""

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from commissions import permissions
from network import permissions as network_permissions
from network.models import Organisation, Person

from . import services
from .models import Commission, CommissionMembership, Presidency, Secretariat


class OrganisationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name"]


class PresidencySerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    organisation = OrganisationRefSerializer(read_only=True)
    person = serializers.CharField(
        source="person.full_name", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = Presidency
        fields = ["role", "role_label", "organisation", "person", "start_date", "end_date"]


class ContactSerializer(serializers.ModelSerializer):
    """A secretariat contact; e-mail and phone only where the person allows the reader."""

    name = serializers.CharField(source="full_name", read_only=True)
    # null where the person does not show them to the reader.
    email = serializers.EmailField(read_only=True, allow_null=True)
    phone = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Person
        fields = ["id", "name", "position", "email", "phone"]

    def to_representation(self, person):
        data = super().to_representation(person)
        request = self.context.get("request")
        if not network_permissions.can_view_contact_details(getattr(request, "user", None), person):
            data["email"] = None
            data["phone"] = None
        return data


class SecretariatSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True)
    contacts = ContactSerializer(many=True, read_only=True)

    class Meta:
        model = Secretariat
        fields = ["organisation", "email", "contacts"]


class CommissionSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    member_count = serializers.IntegerField(read_only=True)
    presidencies = PresidencySerializer(source="current_presidencies", many=True, read_only=True)
    secretariats = SecretariatSerializer(many=True, read_only=True)

    class Meta:
        model = Commission
        fields = [
            "slug",
            "name",
            "kind",
            "kind_label",
            "mandate",
            "email",
            "member_count",
            "presidencies",
            "secretariats",
        ]


class MemberSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="organisation.id", read_only=True)
    name = serializers.CharField(source="organisation.name", read_only=True)
    kind = serializers.CharField(source="organisation.kind", read_only=True)
    country = serializers.CharField(source="organisation.country.code", read_only=True)
    region = serializers.CharField(source="organisation.region.code", read_only=True)

    class Meta:
        model = CommissionMembership
        fields = ["id", "name", "kind", "country", "region", "joined_on"]


class AddMemberSerializer(serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())


class CommissionViewSet(viewsets.ReadOnlyModelViewSet):
    """Commissions, working groups and communities of practice, and their members."""

    serializer_class = CommissionSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_queryset(self):
        contacts = Person.objects.order_by("last_name", "first_name")
        return (
            Commission.objects.active()
            .annotate(member_count=Count("memberships"))
            .prefetch_related(
                Prefetch(
                    "presidencies",
                    Presidency.objects.current().select_related("organisation", "person"),
                    to_attr="current_presidencies",
                ),
                Prefetch(
                    "secretariats",
                    Secretariat.objects.select_related("organisation").prefetch_related(
                        Prefetch("contacts", contacts)
                    ),
                ),
            )
            .order_by("name")
        )

    def _commission(self) -> Commission:
        return get_object_or_404(Commission, slug=self.kwargs["slug"])

    @extend_schema(
        responses=MemberSerializer(many=True),
        request=AddMemberSerializer,
        methods=["GET", "POST"],
    )
    @action(detail=True, methods=["get", "post"], serializer_class=MemberSerializer)
    def members(self, request, slug=None):
        """GET: the members, paginated. POST {"organisation": id}: add a member."""
        commission = self._commission()
        if request.method == "POST":
            if not permissions.can_manage_commission_members(request.user, commission):
                self.permission_denied(request)
            payload = AddMemberSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            membership, created = services.add_member(
                commission, payload.validated_data["organisation"], actor=request.user
            )
            return Response(
                MemberSerializer(membership).data,
                status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            )
        memberships = (
            CommissionMembership.objects.filter(commission=commission)
            .select_related("organisation__country", "organisation__region")
            .order_by("organisation__search_name", "organisation_id")
        )
        page = self.paginate_queryset(memberships)
        return self.get_paginated_response(MemberSerializer(page, many=True).data)

    @extend_schema(request=None, responses={204: None})
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"members/(?P<organisation_id>[0-9]+)",
        url_name="member",
    )
    def member(self, request, slug=None, organisation_id=None):
        """Remove an organisation from the members (idempotent)."""
        commission = self._commission()
        if not permissions.can_manage_commission_members(request.user, commission):
            self.permission_denied(request)
        organisation = get_object_or_404(Organisation, pk=organisation_id)
        services.remove_member(commission, organisation, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("commissions", CommissionViewSet, basename="commission")
