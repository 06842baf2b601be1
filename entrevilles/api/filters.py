"""The API's query-string filters, with ids read by the one strict integer parser.

django-filter's model choice filters pass what the client wrote to the database: an id
above 2**63 - 1 in `?owner_organisations=` overflows the `IN (...)` query (a 500 on
SQLite and PostgreSQL alike), and "٥" is read as 5. Here an id that is not ASCII digits
within the database's range is an invalid choice (400), before any query.
"""

from django import forms
from django.db import models
from django_filters import filters, filterset
from django_filters.rest_framework import DjangoFilterBackend, FilterSet

from entrevilles.integers import parse_id


def _has_integer_key(queryset, to_field_name) -> bool:
    field = (
        queryset.model._meta.get_field(to_field_name) if to_field_name else queryset.model._meta.pk
    )
    return isinstance(field, models.IntegerField | models.AutoField)


class StrictModelChoiceField(filters.ModelChoiceFilter.field_class):
    def to_python(self, value):
        if (
            value not in self.empty_values
            and _has_integer_key(self.queryset, self.to_field_name)
            and parse_id(str(value)) is None
        ):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class StrictModelMultipleChoiceField(filters.ModelMultipleChoiceFilter.field_class):
    def _check_values(self, value):
        if _has_integer_key(self.queryset, self.to_field_name):
            for item in value:
                if parse_id(str(item)) is None:
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": str(item)[:50]},
                    )
        return super()._check_values(value)


class StrictModelChoiceFilter(filters.ModelChoiceFilter):
    field_class = StrictModelChoiceField


class StrictModelMultipleChoiceFilter(filters.ModelMultipleChoiceFilter):
    field_class = StrictModelMultipleChoiceField


def _strict(defaults: dict) -> dict:
    replaced = {
        filters.ModelChoiceFilter: StrictModelChoiceFilter,
        filters.ModelMultipleChoiceFilter: StrictModelMultipleChoiceFilter,
    }
    return {
        db_field: {**spec, "filter_class": replaced.get(spec["filter_class"], spec["filter_class"])}
        for db_field, spec in defaults.items()
    }


class StrictFilterSet(FilterSet):
    FILTER_DEFAULTS = _strict(filterset.FILTER_FOR_DBFIELD_DEFAULTS)


class StrictFilterBackend(DjangoFilterBackend):
    """The default filter backend of the API (settings.REST_FRAMEWORK)."""

    filterset_base = StrictFilterSet
