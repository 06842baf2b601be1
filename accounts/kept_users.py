"""The signed-in person's row and second-factor devices, kept between requests.

Every signed-in request reads its user (Django's session check) and, once the code step
was passed, asks whether the device that passed it still counts. Both are kept in the
shared cache (entrevilles.fragments) under the person's id and forgotten whenever their
row or one of their devices is saved or deleted, so Django's own checks run on the row
as it is: a changed password logs the other sessions out and a deactivated account is
refused at the next request, in every web process.
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


def fragment_name(user_id: Any) -> str:
    return f"accounts:user:{user_id}"


def _read(user_id: Any) -> KeptPerson:
    from django.contrib.auth import get_user_model
    from django_otp import devices_for_user

    user = get_user_model()._default_manager.filter(pk=user_id).first()
    if user is None:
        return KeptPerson(None, frozenset())
    devices = frozenset(device.persistent_id for device in devices_for_user(user))
    return KeptPerson(user, devices)


def kept_person(user_id: Any) -> KeptPerson:
    """The person's row and confirmed devices as they are now (kept until either changes)."""
    from entrevilles import fragments

    return fragments.remember(fragment_name(user_id), lambda: _read(user_id))


def kept_user(user_id: Any) -> User | None:
    """The kept row (each read from the cache is a copy of its own: the request may set
    attributes on it)."""
    return kept_person(user_id).user


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
