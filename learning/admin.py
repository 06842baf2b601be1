"""Back office of the learning programme, one module per part."""

from . import admin_partnerships  # noqa: F401 - registers its models
