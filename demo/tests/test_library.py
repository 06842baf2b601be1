import pytest

from demo.library import load_demo
from demo.library_experiences import EXPERIENCES, MORE_EXPERIENCES
from library.models import Document, Experience
from library.tests.factories import make_city, make_commission
from search.searching import run_search

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_demo_loads_without_the_other_apps_demo_data():
    load_demo()
    assert Experience.objects.count() == 0
    assert Document.objects.published().count() == 3


def test_the_demo_is_idempotent_and_searchable_across_languages():
    refs = sorted({row[0] for row in EXPERIENCES + MORE_EXPERIENCES})
    for ref in refs:
        make_city(ref.split(":")[1].title(), external_ref=ref)
    make_commission(slug="strategic-urban-planning")
    load_demo()
    load_demo()
    assert Experience.objects.published().count() == len(EXPERIENCES + MORE_EXPERIENCES) >= 55
    assert Experience.objects.values("city").distinct().count() == len(refs) >= 20
    assert {e.original_language for e in Experience.objects.all()} == {"en", "fr", "es"}
    assert Document.objects.count() == 3
    framework = Document.objects.get(kind="framework")
    assert [v.is_final for v in framework.versions.all()] == [False, False, True]
    paper = Document.objects.get(kind="policy_paper")
    assert paper.items.count() == 5
    results = run_search(None, "mobilité urbaine", reader_language="fr")
    titles = [hit.entry.titles.get("es", "") for hit in results.hits]
    assert any("movilidad urbana" in title for title in titles)
    # Spanish query, English original.
    results = run_search(None, "planificación estratégica", filters={"type": "experience"})
    assert any("Imagine Durban" in hit.entry.titles["en"] for hit in results.hits)
