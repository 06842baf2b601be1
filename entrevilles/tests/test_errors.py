"""A service's refusal reads the same wherever it is shown: on its field of a form, above
the form, or in the API's one error shape."""

from django import forms
from django.core.exceptions import ValidationError

from entrevilles.errors import add_service_errors, as_api_error, error_text


class NeedForm(forms.Form):
    title = forms.CharField()
    city = forms.CharField()


def test_a_refusal_on_a_field_of_the_form_is_shown_on_that_field():
    form = NeedForm({"title": "Waste", "city": "Durban"})
    assert form.is_valid()
    add_service_errors(
        form,
        ValidationError({"title": "Too short.", "original_language": "Unknown language."}),
    )
    assert form.errors["title"] == ["Too short."]
    # The form has no such field: the message goes above the form.
    assert form.non_field_errors() == ["Unknown language."]


def test_a_field_named_otherwise_by_the_service_is_shown_on_the_form_field():
    form = NeedForm({"title": "Waste", "city": "Durban"})
    form.is_valid()
    add_service_errors(
        form, ValidationError({"organisation": "Not a city."}), {"organisation": "city"}
    )
    assert form.errors["city"] == ["Not a city."]


def test_a_refusal_on_no_field_is_one_line_above_the_page():
    error = ValidationError(["The meeting has ended.", "Invitations are closed."])
    assert error_text(error) == "The meeting has ended. Invitations are closed."
    form = NeedForm({"title": "Waste", "city": "Durban"})
    form.is_valid()
    add_service_errors(form, error)
    assert form.non_field_errors() == ["The meeting has ended.", "Invitations are closed."]


def test_the_api_gives_every_refusal_as_messages_by_field():
    on_fields = as_api_error(ValidationError({"title": "Too short.", "__all__": "Closed."}))
    assert on_fields.detail == {"title": ["Too short."], "non_field_errors": ["Closed."]}
    on_none = as_api_error(ValidationError("Set aside either an experience or a city."))
    assert on_none.detail == {"non_field_errors": ["Set aside either an experience or a city."]}
    assert on_none.status_code == 400
