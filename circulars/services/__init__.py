"""Every write to circulars: drafting, audience, approval, sending, unsubscribes and bounces.

By topic: common (status changes), drafting (texts and audience), sending (approval,
schedule, start, stop, resume, test), confirmation (deliveries left unconfirmed),
suppressions (unsubscribes and bounces).
"""

from .confirmation import (  # noqa: F401
    confirm_delivered,
    resend_unconfirmed,
)
from .drafting import (  # noqa: F401
    TEXT_FIELDS,
    clean_texts,
    create_circular,
    delete_circular,
    draft_from_meeting,
    set_audience,
    update_circular,
)
from .sending import (  # noqa: F401
    approve_circular,
    keep_going,
    resume_sending,
    schedule_circular,
    send_test,
    start_sending,
    stop_sending,
)
from .suppressions import (  # noqa: F401
    record_bounce,
    suppress,
)
