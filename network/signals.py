"""Signals of the directory, for apps that keep copies of an organisation's fields."""

from django.dispatch import Signal

# Sent inside the transaction of a CSV import, after its rows are written in bulk (past
# post_save), with `ids`: the primary keys of the organisations the file updated.
organisations_imported = Signal()
