"""Who should receive mail about an organisation or a commission, and in which language.

An organisation is written to through its active representatives, a commission through
its secretariat (or another role given); each reader in their own language, the site's
default when theirs is not one the platform speaks. One query whatever the number of
organisations and commissions asked about.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from .models import Role, RoleAssignment


@dataclass(frozen=True)
class Reader:
    email: str
    language: str
    name: str = ""
    user_id: int | None = None


def language_or_default(code: str | None) -> str:
    return code if code in settings.LANGUAGE_CODES else settings.LANGUAGE_CODE


def readers_for(
    *,
    organisations: Iterable[int] = (),
    commissions: Iterable[int] = (),
    commission_role: str = Role.SECRETARIAT,
) -> dict[tuple[str, int], list[Reader]]:
    """{("organisation", id) or ("commission", id): readers}, in the order the roles were
    given. `organisations` and `commissions` may be ids or a query of ids."""
    condition = Q(role=Role.REPRESENTATIVE, organisation_id__in=organisations) | Q(
        role=commission_role, commission_id__in=commissions
    )
    rows = (
        RoleAssignment.objects.filter(condition, user__is_active=True)
        .exclude(user__email="")
        .order_by("pk")
        .values_list(
            "role",
            "organisation_id",
            "commission_id",
            "user_id",
            "user__email",
            "user__preferred_language",
            "user__first_name",
            "user__last_name",
        )
    )
    found: dict[tuple[str, int], list[Reader]] = defaultdict(list)
    for role, organisation_id, commission_id, user_id, email, language, first, last in rows:
        key = ("organisation", organisation_id) if role == Role.REPRESENTATIVE else None
        key = key or ("commission", commission_id)
        found[key].append(
            Reader(email, language_or_default(language), f"{first} {last}".strip(), user_id)
        )
    return dict(found)
