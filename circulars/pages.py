"""What readers see of the archive of sent circulars, rendered once and kept.

Every sent circular is public, so the archive's list is the same for every reader: its
content is rendered once per page and language and kept (entrevilles.fragments) until a
circular, its commissions or its sending state change. A circular's archived page is the
same for every visitor, rendered once per circular and language; signed-in readers may
see the members-only meetings and documents it links to, so theirs is built for them.

`register()` (from CircularsConfig.ready) names the models each page reads; the end of a
sending, written without a signal (`delivery.runs.finish_if_done`), calls `forget_all()`.
"""

from __future__ import annotations

from entrevilles import fragments

ARCHIVE = "circulars:archive"
CIRCULAR = "circulars:circular"
NAMES = (ARCHIVE, CIRCULAR)

# A page no change has touched is still built again after this long.
KEPT_SECONDS = 600


def forget_all() -> None:
    """After a write that sends no signal."""
    for name in NAMES:
        fragments.forget(name)


def register() -> None:
    from actions.models import Action, Workstream
    from commissions.models import Commission
    from library.models import Document
    from meetings.models import Meeting

    from .models import Circular

    # The translations are columns of the circular, its links many-to-many fields of it
    # (forget_when_changed follows those too).
    pages = {
        ARCHIVE: [Circular, Commission],
        CIRCULAR: [Circular, Commission, Meeting, Document, Action, Workstream],
    }
    for name, models in pages.items():
        fragments.forget_when_changed(name, models)
