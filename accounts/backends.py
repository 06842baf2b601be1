"""Django's permission checks answered by the roles and the apps' own rules.

Network administrators hold every Django permission, as superusers do, so that the admin
back office works for them without Django's per-model permission rows
(`NetworkAdminBackend`, asked before Django's own backend).

`user.has_perm("learning.can_view_partnership_reports", partnership)` asks
`learning.permissions.can_view_partnership_reports(user, partnership)`; without an object,
the rule is asked with the user alone (`{% if perms.meetings.can_create_meeting %}` in a
template). Only functions named `can_…` of an app's `permissions` module answer, so
Django's model permissions (`add_…`, `change_…`, `view_…`, `delete_…`) are never
granted through here. It authenticates nobody.
"""

from __future__ import annotations

import inspect
from importlib import import_module

from django.apps import apps
from django.contrib.auth.backends import BaseBackend, ModelBackend

from . import permissions


def rule_for(perm: str):
    """The rule function a permission name stands for, or None."""
    app_label, _, name = perm.partition(".")
    if not name.startswith("can_") or not apps.is_installed(app_label):
        return None
    try:
        module = import_module(f"{app_label}.permissions")
    except ImportError:
        return None
    rule = getattr(module, name, None)
    return rule if inspect.isfunction(rule) else None


class RuleBackend(BaseBackend):
    def has_perm(self, user_obj, perm, obj=None):
        rule = rule_for(perm)
        if rule is None:
            return False
        arguments = [user_obj] if obj is None else [user_obj, obj]
        try:
            inspect.signature(rule).bind(*arguments)
        except TypeError:
            return False  # the rule needs an object that was not given (or takes none)
        return bool(rule(*arguments))


class NetworkAdminBackend:
    """Every permission for network administrators; nothing for anyone else, who gets only
    what Django's model permissions and the apps' rules grant. It authenticates nobody and
    loads no user, so that sessions and logins stay with Django's backend."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        return permissions.is_network_admin(user_obj)

    def has_module_perms(self, user_obj, app_label):
        return permissions.is_network_admin(user_obj)


class KeptUserBackend(ModelBackend):
    """Django's own backend, the signed-in person's row read from what is kept between
    requests (accounts.kept_users) instead of the database on every request. Django still
    checks the session against that row (the password's hash) and refuses an inactive
    account; the row kept is forgotten whenever it is saved or deleted."""

    def get_user(self, user_id):
        from .kept_users import kept_user

        user = kept_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        from asgiref.sync import sync_to_async

        return await sync_to_async(self.get_user)(user_id)
