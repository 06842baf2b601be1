"""The signed-in person's row, second-factor devices and roles, kept between requests.

Every signed-in request reads its user (Django's session check), asks whether the device
that passed the code step still counts, and reads the person's roles (accounts.
permissions). All three are kept together in the shared cache (entrevilles.fragments:
one read) under the person's id and forgotten whenever their row, one of their devices
or one of their roles is saved or deleted, so Django's own checks run on the row as it
is: a changed password logs the other sessions out and a deactivated account is refused
at the next request, in every web process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import User


@dataclass(frozen=True)
class KeptPerson:
    user: User | None
    # persistent ids ("otp_totp.totpdevice/12") of the person's confirmed devices
    devices: frozenset[str]
    # (role, commission id, organisation id) of each role they hold
    assignments: tuple[tuple[str, Any, Any], ...] = ()


def fragment_name(user_id: Any) -> str:
    return f"accounts:user:{user_id}"


def _read(user_id: Any) -> KeptPerson:
    """The row, then the devices and the roles in one statement (a union): a first
    signed-in request reads no more than it did when only the roles were kept."""
    from django.contrib.auth import get_user_model
    from django.db.models import BigIntegerField, CharField, Value
    from django_otp import device_classes

    from .models import RoleAssignment

    user = get_user_model()._default_manager.filter(pk=user_id).first()
    if user is None:
        return KeptPerson(None, frozenset())
    rows = RoleAssignment.objects.filter(user_id=user_id).values_list(
        Value("role", output_field=CharField()), "role", "commission_id", "organisation_id"
    )
    for model in device_classes():
        devices = model.objects.filter(user_id=user_id, confirmed=True).values_list(
            Value("device", output_field=CharField()),
            Value(model.model_label(), output_field=CharField()),
            "pk",
            Value(None, output_field=BigIntegerField()),
        )
        rows = rows.union(devices, all=True)
    devices_held: set[str] = set()
    assignments = []
    for kind, first, second, third in rows:
        if kind == "device":
            devices_held.add(f"{first}/{second}")  # Device.persistent_id
        else:
            assignments.append((first, second, third))
    return KeptPerson(user, frozenset(devices_held), tuple(assignments))


def kept_person(user_id: Any) -> KeptPerson:
    """The person's row, confirmed devices and roles as they are now (kept until one of
    them changes)."""
    from entrevilles import fragments

    return fragments.remember(fragment_name(user_id), lambda: _read(user_id))


def kept_user(user_id: Any) -> User | None:
    """The kept row (each read from the cache is a copy of its own: the request may set
    attributes on it), carrying the devices read with it (devices_of) and the roles
    (`kept_assignments`, for accounts.permissions.scopes), so that the rest of the
    request asks the cache for neither."""
    person = kept_person(user_id)
    user = person.user
    if user is not None:
        user._entrevilles_devices = person.devices  # type: ignore[attr-defined]  # read by devices_of
        user._entrevilles_kept_assignments = person.assignments  # type: ignore[attr-defined]  # read by permissions.scopes
    return user


def devices_of(user: User) -> frozenset[str]:
    """The persistent ids of the person's confirmed devices, as kept."""
    devices = getattr(user, "_entrevilles_devices", None)
    return devices if devices is not None else kept_person(user.pk).devices


def forget(user_id: Any) -> None:
    from entrevilles import fragments

    fragments.forget(fragment_name(user_id))


def forget_user(sender: object, instance: Any, **kwargs: Any) -> None:
    """A user saved or deleted (connected in AccountsConfig.ready)."""
    if instance.pk is not None:
        forget(instance.pk)


def forget_device_holder(sender: object, instance: Any, **kwargs: Any) -> None:
    """A second-factor device saved (confirmed, used) or deleted: its holder's next
    request reads their devices afresh (connected in AccountsConfig.ready)."""
    if instance.user_id is not None:
        forget(instance.user_id)
