from drf_spectacular.openapi import AutoSchema


class FiguresSchema(AutoSchema):
    """For viewsets whose `list` answers one object (figures, search results), not a list
    of objects: drf-spectacular would otherwise publish an array."""

    def _is_list_view(self, serializer=None) -> bool:
        return False
