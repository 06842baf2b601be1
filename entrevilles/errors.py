"""A service's refusal (a ValidationError) as the reader sees it: on a form, in a
message above the page, or in the API's one error shape."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from rest_framework import exceptions
from rest_framework.settings import api_settings


def add_service_errors(form, error: ValidationError, renames: dict[str, str] | None = None):
    """A service's refusal shown on the form: each message on its field when the form has
    that field (under its form name in `renames`), the others above the form."""
    renames = renames or {}
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = renames.get(field, field)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, error)


def error_text(error: ValidationError) -> str:
    """A service's refusal as one line, for a message above the page."""
    return " ".join(error.messages)


def as_api_error(error: ValidationError) -> exceptions.ValidationError:
    """A service's refusal in the API's one error shape, a 400 with `{field: [messages]}`;
    messages on no field go under "non_field_errors", as DRF's serializers put them."""
    if hasattr(error, "error_dict"):
        messages = error.message_dict
    else:
        messages = {NON_FIELD_ERRORS: error.messages}
    if NON_FIELD_ERRORS in messages:
        messages[api_settings.NON_FIELD_ERRORS_KEY] = messages.pop(NON_FIELD_ERRORS)
    return exceptions.ValidationError(messages)
