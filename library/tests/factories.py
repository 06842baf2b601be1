"""Plain factory functions for the knowledge base tests, shared with the search tests."""

from itertools import count

from accounts.tests.factories import make_user  # noqa: F401 - other apps' tests import it here
from commissions.tests.factories import make_commission  # noqa: F401 - shared
from library import services
from library.models import Experience, Status
from network.tests.factories import make_city

_serial = count(1)


def make_experience(city=None, *, status=Status.PUBLISHED, language="en", **texts) -> Experience:
    texts.setdefault("title", f"Experience {next(_serial)}")
    themes = texts.pop("themes", ())
    experience = services.create_experience(
        city=city or make_city(),
        original_language=language,
        texts=texts,
        themes=themes,
        actor=None,
    )
    if status != Status.DRAFT:
        services.submit_experience(experience, actor=None)
    if status == Status.PUBLISHED:
        services.publish_experience(experience, actor=None)
    return experience
