"""Back office of the learning programme, one module per part."""

from learning.partnerships import admin as partnerships_admin  # noqa: F401 - registers its models
