import pytest

from commissions import services as commission_services
from library.models import Status
from library.tests.factories import make_city, make_experience
from network import services as network_services
from search import services
from search.models import SearchEntry, SearchFacet
from search.searching import run_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def immediate_tasks(settings):
    # The immediate backend runs an enqueued task at once, in this process.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


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


def test_renaming_an_organisation_reindexes_it_after_commit(
    immediate_tasks, django_capture_on_commit_callbacks
):
    city = make_city("Ciudad Vieja")
    services.index_object("organisation", city.pk)
    with django_capture_on_commit_callbacks(execute=True):
        network_services.update_organisation(city, actor=None, name_en="Nueva Esperanza")
    assert run_search(None, "esperanza").total == 1
    assert run_search(None, "vieja").total == 0


def test_creating_and_renaming_a_commission_reindexes_it_after_commit(
    immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        commission = commission_services.create_commission(
            slug="peri-urban", actor=None, name_en="Peri-urban agriculture"
        )
    assert run_search(None, "agriculture", filters={"type": "commission"}).total == 1
    with django_capture_on_commit_callbacks(execute=True):
        commission_services.update_commission(commission, actor=None, name_en="Urban forestry")
    assert run_search(None, "forestry", filters={"type": "commission"}).total == 1
    assert run_search(None, "agriculture", filters={"type": "commission"}).total == 0


def test_organisations_imported_from_a_csv_file_are_found_after_commit(
    immediate_tasks, django_capture_on_commit_callbacks
):
    import io

    make_city("Ciudad Vieja")  # brings its country; the import adds a neighbour
    country = network_services.Country.objects.exclude(organisations=None).first()
    header = (
        "ref,name,name_fr,name_es,kind,country,population,latitude,longitude,"
        "working_languages,membership_status,website,email\n"
    )
    row = f"imp:1,Puerto Esperanza,,,local_government,{country.code},80000,,,es,member,,\n"
    with django_capture_on_commit_callbacks(execute=True):
        result = network_services.import_organisations_csv(
            io.BytesIO((header + row).encode()), actor=None
        )
    assert result.ok
    assert run_search(None, "esperanza").total == 1
