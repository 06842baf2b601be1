"""Plain factory functions for the circulars tests."""

from circulars import services
from circulars.models import Circular, CircularKind
from meetings.tests.factories import (  # noqa: F401 - shared with the circulars tests
    add_member,
    grant,
    make_commission,
    make_meeting,
    make_organisation,
    make_person,
    make_user,
)

SUBJECTS = {"en": "Outcome of the meeting", "fr": "Résultats de la réunion"}
BODIES = {
    "en": "Dear {{name}},\n\nThe **meeting** decided [four workstreams](https://example.org/w).\n",
    "fr": "Cher·e {{name}},\n\nLa **réunion** a décidé [quatre axes](https://example.org/w).\n",
}


def make_circular(*, commissions=(), actor=None, audience=None, **overrides) -> Circular:
    values = {
        "kind": CircularKind.ANNOUNCEMENT,
        "original_language": "en",
        "subjects": dict(SUBJECTS),
        "bodies": dict(BODIES),
    }
    values.update(overrides)
    circular = services.create_circular(commissions=list(commissions), actor=actor, **values)
    if audience is not None:
        services.set_audience(circular, audience, actor=actor)
    return circular


def approved(circular: Circular, actor=None) -> Circular:
    return services.approve_circular(circular, actor=actor)


def sending(circular: Circular, actor=None) -> Circular:
    """Approved and started: the recipients are fixed (the tests run the worker's steps)."""
    if circular.status == "draft":
        approved(circular, actor)
    services.start_sending(circular, actor=actor)
    circular.refresh_from_db()
    return circular
