"""What each app gives the notifications engine; the apps register in their
AppConfig.ready(), from their own `notifying.py`.

The engine knows no app. An app registers the things of its own one may follow
(`register_target`: the model, the query of those a person may see, their page), what
its events concern (`register_events`: targets, titles, address, visibility), who may hear
of an event whose subject only some may see (`register_subject_rule`, asked of the app's
permissions.py at fan-out and again at mailing), its jobs of the day's round
(`register_daily`: reminders falling due), what follows an event's fan-out
(`when_fanned_out`: the need suggestions), the automatic follows its data implies
(`register_automatic_follows`), the people whose directory entry makes them
members of the network (`register_members`) and the addresses not to mail
(`register_suppressed`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from accounts.permissions import AnyUser

    from .models import Event


@dataclass
class Described:
    """What an event on one object concerns, as its app describes it."""

    subject_type: str
    targets: Sequence[tuple[str, int]]
    titles: dict[str, str]
    url: str
    visibility: str


@dataclass(frozen=True)
class RoleHolders:
    """Who holds the roles that bring automatic follows, by scope:
    {organisation id: representatives' user ids}, {commission id: secretariats' user ids}."""

    representatives: dict[int, set[int]]
    secretariats: dict[int, set[int]]


# (get_model, role holders, user ids or None for everyone) -> (user id, target type, id).
AutomaticFollows = Callable[
    [Callable[[str, str], Any], RoleHolders, list[int] | None],
    Iterable[tuple[int, str, int]],
]


@dataclass(frozen=True)
class Target:
    """A kind of thing one may follow."""

    model: type[models.Model]
    visible: Callable[[AnyUser], models.QuerySet[Any]]
    url: Callable[[Any], str]


_targets: dict[str, Target] = {}
_describers: dict[str, Callable[[Any], Described]] = {}
_subject_rules: dict[str, Callable[[AnyUser, int], bool]] = {}
_daily: list[Callable[[date], int]] = []
_when_fanned_out: list[Callable[[Event], object]] = []
_members: list[tuple[str, str]] = []
_suppressed: list[Callable[[list[str]], Iterable[str]]] = []
_automatic_follows: list[AutomaticFollows] = []


def register_target(
    target_type: str,
    *,
    model: type[models.Model],
    visible: Callable[[AnyUser], models.QuerySet[Any]],
    url: Callable[[Any], str],
) -> None:
    """Things of `model` may be followed as `target_type`: `visible(user)`
    is the query of those the person may see (and so follow), `url(obj)` the page of one."""
    _targets[str(target_type)] = Target(model, visible, url)


def target(target_type: str) -> Target:
    """The registered kind; KeyError for a type no app registered."""
    return _targets[str(target_type)]


def model_of(target_type: str) -> type[models.Model]:
    return target(target_type).model


def register_events(model: str, describe: Callable[[Any], Described]) -> None:
    """`describe(obj)` tells, for an event of an object of `model` ("app_label.model"):
    the things it concerns, its titles, its address and who may hear of it."""
    _describers[model.lower()] = describe


def describer_for(model: str) -> Callable[[Any], Described]:
    return _describers[model.lower()]


def register_subject_rule(subject_type: str, may_see: Callable[[AnyUser, int], bool]) -> None:
    """`may_see(user, subject_id)`: may this person hear of an event on that subject? Asked
    for the events whose visibility is checked per person (the app's permissions.py)."""
    _subject_rules[subject_type] = may_see


def subject_rule(subject_type: str) -> Callable[[AnyUser, int], bool] | None:
    return _subject_rules.get(subject_type)


def register_daily(job: Callable[[date], int]) -> None:
    """`job(day)` records the events falling due that day (reminders) on the daily round,
    before the digests leave; returns how many it recorded."""
    if job not in _daily:
        _daily.append(job)


def daily_jobs() -> list[Callable[[date], int]]:
    return list(_daily)


def when_fanned_out(handler: Callable[[Event], object]) -> Callable[[Event], object]:
    """Call `handler(event)` in the transaction that ends each event's fan-out (once,
    however often registered); returns it, so that it can decorate a function."""
    if handler not in _when_fanned_out:
        _when_fanned_out.append(handler)
    return handler


def fanned_out_handlers() -> list[Callable[[Event], object]]:
    return list(_when_fanned_out)


def register_members(model: type[models.Model], user_field: str = "user") -> None:
    """A person linked to a row of `model` through the foreign key `user_field` counts as a
    member of the network (with the holders of a role), for members-only events."""
    field = model._meta.get_field(user_field)
    if not isinstance(field, models.ForeignKey):
        raise ValueError(f"{model._meta.label}.{user_field} is not a foreign key")
    source = (model._meta.db_table, field.column)
    if source not in _members:
        _members.append(source)


def member_sources() -> list[tuple[str, str]]:
    """(table, user column) of each registered model."""
    return list(_members)


def register_suppressed(addresses: Callable[[list[str]], Iterable[str]]) -> None:
    """`addresses(emails)` gives those of the (lower-case) `emails` that must not be
    mailed, such as addresses known to bounce; their notifications stay in the platform."""
    if addresses not in _suppressed:
        _suppressed.append(addresses)


def suppressed_among(emails: list[str]) -> set[str]:
    found: set[str] = set()
    for addresses in _suppressed:
        found.update(addresses(emails))
    return found


def register_automatic_follows(pairs: AutomaticFollows) -> None:
    """`pairs(get_model, holders, user_ids)` yields (user id, target type, target id) for
    each automatic follow the app's data implies (for everyone, or for those users only),
    reading its models through `get_model` so that a migration may run it on its
    historical models. The services make the same follows as they write."""
    if pairs not in _automatic_follows:
        _automatic_follows.append(pairs)


def automatic_follows() -> list[AutomaticFollows]:
    return list(_automatic_follows)
