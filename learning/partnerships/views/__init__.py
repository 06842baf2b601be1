"""Pages of partnerships: proposal and answers, the plan, monitoring, the end and the note.

By topic: common (access and form messages), listing (the list, a partnership's page, the
lookup), proposals (proposal, answers, status), plan, monitoring, closing (evaluation,
outcomes, the learning note, roadmap items).
"""

from .closing import (  # noqa: F401
    evaluation,
    note_detail,
    note_edit,
    note_pdf,
    note_publish,
    outcomes,
    roadmap_action,
)
from .listing import (  # noqa: F401
    partnership_detail,
    partnership_list,
    partnership_lookup,
)
from .monitoring import (  # noqa: F401
    report_detail,
    report_new,
)
from .plan import (  # noqa: F401
    activity_add,
    activity_outcome,
    milestone_add,
    partnership_ics,
)
from .proposals import (  # noqa: F401
    partnership_propose,
    partnership_respond,
    partnership_status,
)
