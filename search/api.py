"""The search part of the REST API: the same search as the page, as JSON."""

from django.conf import settings
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from entrevilles.api.schema import FiguresSchema
from entrevilles.integers import parse_int

from .searching import FACETS, run_search


class HitSerializer(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.IntegerField()
    url = serializers.CharField()
    language = serializers.CharField()
    original_language = serializers.CharField()
    title_html = serializers.CharField()
    snippet_html = serializers.CharField()
    date = serializers.DateField(allow_null=True)


class SearchViewSet(viewsets.ViewSet):
    """Everything published the caller may see, in any of the three languages."""

    schema = FiguresSchema()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q", OpenApiTypes.STR, description="Words in English, French or Spanish"
            ),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("per_page", OpenApiTypes.INT),
            *[OpenApiParameter(name, OpenApiTypes.STR) for name in FACETS],
        ],
        responses=inline_serializer(
            "SearchResults",
            {
                "total": serializers.IntegerField(),
                "page": serializers.IntegerField(),
                "pages": serializers.IntegerField(),
                "results": HitSerializer(many=True),
                "facets": serializers.DictField(
                    child=serializers.ListField(child=serializers.ListField())
                ),
                "facets_partial": serializers.BooleanField(),
            },
        ),
    )
    def list(self, request):
        def number(name, default):
            value = parse_int(request.query_params.get(name, default))
            return default if value is None else value

        results = run_search(
            request.user,
            request.query_params.get("q", ""),
            filters={name: request.query_params.get(name, "") for name in FACETS},
            page=number("page", 1),
            per_page=number("per_page", 20),
            reader_language=get_language() or settings.LANGUAGE_CODE,
        )
        return Response(
            {
                "total": results.total,
                "page": results.page,
                "pages": results.pages,
                "results": [
                    {
                        "type": hit.entry.object_type,
                        "id": hit.entry.object_id,
                        "url": hit.entry.url,
                        "language": hit.language,
                        "original_language": hit.entry.original_language,
                        "title_html": str(hit.title),
                        "snippet_html": str(hit.snippet),
                        "date": hit.entry.date,
                    }
                    for hit in results.hits
                ],
                "facets": {
                    name: [list(row) for row in rows] for name, rows in results.facets.items()
                },
                # True when the facet counts are those of the first results only.
                "facets_partial": results.facets_partial,
            }
        )


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("search", SearchViewSet, basename="search")
