"""Many-to-many values of a page of objects, read in one small query per relation.

A list's serializer shows its objects' related rows as ids or slugs (`needs`, `themes`,
`commissions`). Prefetching them loads every related row as a model instance (a need
with its texts in three languages, to show its id) and builds a related manager per
object and relation: on a page of 50 that was most of the request. Here each relation is
one `values_list` of (object id, shown value) in the related model's own order, the
same rows the prefetch would read, kept on each object as `api_related`; serializers
built with `RelatedValuesMixin` show those values and read every other field as usual.
"""

from collections.abc import Sequence

from django.db.models import Model
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject


def attach_related_values(objects: Sequence[Model], relations: dict[str, str]) -> None:
    """For each many-to-many field name in `relations`, the list of the related rows'
    values of the given attribute ("pk", a slug), on each object's `api_related`."""
    if not objects:
        return
    model = type(objects[0])
    ids = [obj.pk for obj in objects]
    for obj in objects:
        obj.api_related = {}
    for name, attribute in relations.items():
        field = model._meta.get_field(name)
        owner = field.related_query_name()
        values: dict[int, list] = {pk: [] for pk in ids}
        rows = field.related_model._default_manager.filter(**{f"{owner}__in": ids})
        for owner_id, value in rows.values_list(owner, attribute):
            values[owner_id].append(value)
        for obj in objects:
            obj.api_related[name] = values[obj.pk]


class RelatedValuesMixin:
    """A serializer showing the values attach_related_values kept, when it kept them."""

    def to_representation(self, instance):
        known = getattr(instance, "api_related", None)
        if known is None:
            return super().to_representation(instance)
        representation = {}
        for field in self._readable_fields:
            name = field.field_name
            if name in known:
                representation[name] = known[name]
                continue
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            value = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            representation[name] = None if value is None else field.to_representation(attribute)
        return representation
