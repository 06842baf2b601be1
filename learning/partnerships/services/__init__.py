"""Every write to partnerships: proposal and answers, status, plan, monitoring, evaluation
and the learning note.

Parties are told by e-mail, each person in their own language, after commit.

By topic: common (statuses, periods), notices, proposals, plan, monitoring, closing.
"""

from .closing import (  # noqa: F401
    NOTE_FIELDS,
    note_languages,
    publish_learning_note,
    save_evaluation,
    save_learning_note,
    set_outcomes,
    turn_roadmap_item_into_action,
)
from .common import (  # noqa: F401
    FINISHED,
    MOVES_TO_PARTNERSHIP,
    PLANNABLE,
    REPORT_GRACE_DAYS,
    allowed_transitions,
    late_since,
    open_periods,
    reporting_periods,
)
from .monitoring import (  # noqa: F401
    comment_report,
    file_report,
    revise_report,
    save_monitoring_reference,
)
from .notices import send_partnership_notice  # noqa: F401
from .plan import (  # noqa: F401
    add_milestone,
    plan_activity,
    record_activity_outcome,
)
from .proposals import (  # noqa: F401
    change_partnership_status,
    propose_partnership,
    respond_to_partnership,
    unreachable_party_ids,
)
