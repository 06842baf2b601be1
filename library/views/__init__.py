"""Pages of the knowledge base. Each view asks library.permissions and calls a service.

By topic: common (access and paging), experiences, documents, lookups.
"""

from .documents import (  # noqa: F401
    document_add_file,
    document_add_item,
    document_create,
    document_detail,
    document_edit,
    document_item_actions,
    document_links,
    document_list,
    document_publish,
)
from .experiences import (  # noqa: F401
    experience_add_attachment,
    experience_create,
    experience_detail,
    experience_edit,
    experience_list,
    experience_status,
    library_home,
    review_queue,
)
from .lookups import (  # noqa: F401
    lookup,
)
