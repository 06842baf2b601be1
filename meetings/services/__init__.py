"""Every write to meetings: creation, agenda, invitations, registration, attendance, record.

By topic: common, planning (a meeting and its agenda), participation (invitations,
registration, attendance), proceedings (minutes, report, decisions), representation
(external events).
"""

from .participation import (  # noqa: F401
    cancel_registration,
    invite,
    invite_commission_members,
    invite_organisations,
    no_address_message,
    record_attendance,
    register,
    seats_taken,
)
from .planning import (  # noqa: F401
    TRANSLATED_MEETING_FIELDS,
    add_agenda_item,
    create_meeting,
    move_agenda_item,
    remove_agenda_item,
    update_meeting,
)
from .proceedings import (  # noqa: F401
    approve_minutes,
    publish_report,
    record_decision,
    save_minutes,
)
from .representation import (  # noqa: F401
    add_representation,
    create_external_event,
    report_back,
    set_representation_documents,
)
