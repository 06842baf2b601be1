"""Circular pages: drafting, audience, approval and sending for secretariats; the public
archive; "My circulars"; unsubscribing.

By topic: common (access), drafting (and the audience), sending, archive (and "My
circulars"), unsubscribing (and the suppression list).
"""

from .archive import (  # noqa: F401
    archive,
    archive_detail,
    mine,
)
from .drafting import (  # noqa: F401
    audience,
    circular_create,
    circular_detail,
    circular_edit,
    circular_list,
    from_meeting,
)
from .sending import (  # noqa: F401
    approve,
    delete,
    deliveries,
    progress,
    resend_unconfirmed,
    resume,
    schedule,
    send,
    stop,
    test_send,
)
from .unsubscribing import (  # noqa: F401
    suppressions,
    unsubscribe,
)
