"""Meeting pages: the calendar, a meeting, registration, and the secretariat's tools.

By topic: common (access and shared pieces), listing, detail (and registration),
organising, proceedings (minutes and report), feeds (iCal), events (external events).
"""

from .common import (  # noqa: F401
    visible_meetings,
)
from .detail import (  # noqa: F401
    cancel_registration,
    meeting_detail,
    register,
)
from .events import (  # noqa: F401
    event_create,
    event_detail,
)
from .feeds import (  # noqa: F401
    calendar_ical,
    meeting_ical,
    my_ical,
)
from .listing import (  # noqa: F401
    meeting_list,
)
from .organising import (  # noqa: F401
    attendance,
    invite,
    manage,
    meeting_create,
    meeting_edit,
    picker,
)
from .proceedings import (  # noqa: F401
    minutes,
    report,
)
