"""Signals of accounts, for apps that act on a role given to someone."""

from django.dispatch import Signal

# Sent inside the transaction of `accounts.services.grant_role` when a role is new, with
# `assignment`: the RoleAssignment just created.
role_granted = Signal()
