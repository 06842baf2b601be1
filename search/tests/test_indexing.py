import pytest

from library.models import Status
from library.tests.factories import make_city, make_experience
from search import services
from search.models import SearchEntry, SearchFacet
from search.searching import run_search

pytestmark = pytest.mark.django_db


def test_a_rebuild_indexes_many_experiences_in_batches_with_a_constant_number_of_queries(
    django_assert_max_num_queries,
):
    city = make_city()
    for n in range(30):
        make_experience(city, title=f"Participatory budgeting round {n}")
    make_experience(city, status=Status.DRAFT, title="Participatory budgeting draft")
    # Three batches of ten, each a fixed number of statements (one at a time: ten per object).
    with django_assert_max_num_queries(60):
        count = services.rebuild("experience", batch_size=10)
    assert count == 30
    assert SearchEntry.objects.filter(object_type="experience").count() == 30
    assert run_search(None, "budgeting", per_page=50).total == 30
    assert SearchFacet.objects.filter(name="type", value="experience").count() == 30


def test_a_rebuild_replaces_changed_entries_and_drops_unpublished_ones():
    city = make_city()
    kept = make_experience(city, title="Flood early warning")
    dropped = make_experience(city, title="Flood insurance scheme")
    services.rebuild("experience")
    kept.title_en = "Heatwave early warning"
    kept.save()
    dropped.status = Status.DRAFT
    dropped.save()
    services.rebuild("experience")
    assert run_search(None, "flood").total == 0
    assert run_search(None, "heatwave").total == 1
    assert SearchEntry.objects.filter(object_type="experience").count() == 1
