"""Plain factory functions for the knowledge base tests, shared with the search tests."""

from itertools import count

from accounts.tests.factories import make_user  # noqa: F401 - other apps' tests import it here
from commissions.tests.factories import make_commission  # noqa: F401 - shared
from library import services
from library.models import Experience, Status
from network.models import Country, Region
from network.tests.factories import make_city

_serial = count(1)


def make_region(code="africa", name="Africa") -> Region:
    region, _created = Region.objects.get_or_create(code=code, defaults={"name": name})
    return region


def make_country(code="ZA", region=None) -> Country:
    region = region or make_region()
    country, _created = Country.objects.get_or_create(
        code=code, defaults={"alpha3": code + "X", "name": code, "region": region}
    )
    return country


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
