from drf_spectacular.openapi import AutoSchema


class FiguresSchema(AutoSchema):
    """For viewsets whose `list` answers one object (figures, search results), not a list
    of objects: drf-spectacular would otherwise publish an array."""

    def _is_list_view(self, serializer=None) -> bool:
        return False

    def get_operation_id(self) -> str:
        # Keep "list" in the name, or it would collide with the detail route's "retrieve".
        operation_id = super().get_operation_id()
        if getattr(self.view, "action", None) == "list" and operation_id.endswith("_retrieve"):
            return operation_id.removesuffix("retrieve") + "list"
        return operation_id
