"""The learning agenda: figures against hand-counted data, the page, CSV, priorities."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from commissions.tests.factories import make_commission
from learning.agenda.figures import Agenda, AgendaFilters
from learning.models import AgendaPriority, LearningNeed, NeedStatus, NeedVisibility
from learning.needs.tests.factories import make_city, make_need, make_offered_experience, make_theme
from library.models import Experience

pytestmark = pytest.mark.django_db

AGENDA = reverse("learning:agenda")
CSV = reverse("learning:agenda_csv")


def _in_year(obj, year, field="created_at"):
    type(obj).objects.filter(pk=obj.pk).update(
        **{field: datetime.datetime(year, 5, 1, tzinfo=datetime.UTC)}
    )


@pytest.fixture
def world():
    """Hand-counted: see each test for the expected figures."""
    planning = make_theme("strategic-planning", "Planning")
    digital = make_theme("digital-cities", "Digital")
    kisumu = make_city(name="Kisumu", region="africa", population=600_000)  # intermediary
    village = make_city(name="Village", region="africa", population=20_000)  # small town
    lyon = make_city(name="Big Lyon", region="europe", population=2_000_000)  # metropolis
    needs = {
        "n1": make_need(kisumu, themes=[planning, digital]),
        "n2": make_need(kisumu, themes=[planning], status=NeedStatus.MATCHED),
        "n3": make_need(village, themes=[digital], visibility=NeedVisibility.PRIVATE),
        "n4": make_need(lyon, themes=[planning], status=NeedStatus.MET),
        "n5": make_need(lyon, themes=[digital]),
    }
    for key, year in (("n1", 2023), ("n2", 2024), ("n3", 2024), ("n4", 2024), ("n5", 2024)):
        _in_year(needs[key], year)
    e1 = make_offered_experience(lyon, themes=[planning])
    e2 = make_offered_experience(kisumu, themes=[digital])
    make_offered_experience(kisumu, themes=[planning], offered=False)
    draft = make_offered_experience(village, themes=[planning])
    Experience.objects.filter(pk=draft.pk).update(status="draft")
    _in_year(e1, 2022, "published_at")
    _in_year(e2, 2024, "published_at")
    return needs


def _lines(lines):
    return {line.key: (line.demand, line.supply) for line in lines}


def test_the_public_agenda_counts_published_open_and_matched_needs_against_offered_experiences(
    world,
):
    agenda = Agenda(AgendaFilters())
    totals = agenda.totals()
    assert (totals.demand, totals.supply) == (3, 2)
    themes = _lines(agenda.by_theme())
    assert themes["strategic-planning"] == (2, 1)
    assert themes["digital-cities"] == (2, 1)
    regions = _lines(agenda.by_region())
    assert regions["africa"] == (2, 1)
    assert regions["europe"] == (1, 1)
    sizes = _lines(agenda.by_size_class())
    assert sizes == {"small_town": (0, 0), "intermediary": (2, 1), "metropolis": (1, 1)}
    assert _lines(agenda.by_period()) == {"2022": (0, 1), "2023": (1, 0), "2024": (2, 1)}


def test_the_gaps_are_themes_asked_for_where_the_same_region_and_size_offer_nothing(world):
    gaps = Agenda(AgendaFilters()).gaps()
    found = {(g.key, g.extra["region_code"], g.extra["size_code"]): g for g in gaps}
    assert set(found) == {
        ("strategic-planning", "africa", "intermediary"),
        ("digital-cities", "europe", "metropolis"),
    }
    assert found[("strategic-planning", "africa", "intermediary")].demand == 2
    assert found[("strategic-planning", "africa", "intermediary")].extra["elsewhere"] == 1


def test_the_secretariats_agenda_counts_private_needs_too(world):
    agenda = Agenda(AgendaFilters(include_private=True))
    assert agenda.totals().demand == 4
    assert _lines(agenda.by_size_class())["small_town"] == (1, 0)


def test_filters_and_quarters_cut_the_same_figures(world):
    agenda = Agenda(AgendaFilters(region="africa", theme="strategic-planning", period="quarter"))
    assert (agenda.totals().demand, agenda.totals().supply) == (2, 0)
    periods = _lines(agenda.by_period())
    assert periods["2023-Q2"] == (1, 0)
    assert periods["2024-Q2"] == (1, 0)
    assert len(periods) == 5  # 2023 Q2 to 2024 Q2, empty quarters included


def test_the_agenda_page_shows_charts_and_gaps_in_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(13):
        response = client.get(AGENDA)
    assert response.status_code == 200
    assert "<svg" in response.text
    assert "Where demand has no supply" in response.text
    assert "3 needs" in response.text


def test_the_agenda_page_refuses_an_unknown_filter(client, world):
    assert client.get(f"{AGENDA}?region=atlantis").status_code == 400
    assert client.get(f"{CSV}?table=nothing").status_code == 400


def test_each_table_exports_as_csv_with_the_figures_shown(client, world):
    response = client.get(f"{CSV}?table=themes")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    planning = next(row for row in rows if row["key"] == "strategic-planning")
    assert (planning["demand"], planning["supply"], planning["gap"]) == ("2", "1", "0")
    response = client.get(f"{CSV}?table=gaps&region=europe")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["theme"], r["region"], r["size_class"], r["demand"]) for r in rows] == [
        ("digital-cities", "europe", "metropolis", "1")
    ]
    response = client.get(f"{CSV}?table=periods")
    assert response.content.decode().splitlines()[1:] == [
        "2022,2022,0,1,0",
        "2023,2023,1,0,1",
        "2024,2024,2,1,0",
    ]


# --- priorities -------------------------------------------------------------------------


def test_the_secretariat_adopts_a_priority_and_its_page_shows_the_needs_and_cities(
    client, world, secretariat, commission
):
    needs = world
    client.force_login(secretariat)
    url = reverse("learning:priority_create", args=[commission.slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "original_language": "en",
            "title": "Planning for intermediary cities",
            "needs": f"{needs['n1'].pk}, {needs['n2'].pk} {needs['n3'].pk}",
            "themes": [],
            "adopted_on": "2013-10-01",
        },
    )
    assert response.status_code == 302
    priority = AgendaPriority.objects.get()
    assert set(priority.needs.all()) == {needs["n1"], needs["n2"], needs["n3"]}
    client.logout()
    page = client.get(reverse("learning:agenda_commission", args=[commission.slug]))
    assert "Planning for intermediary cities" in page.text
    assert "Justified by 3 needs" in page.text
    assert "Kisumu" in page.text
    assert needs["n1"].get_absolute_url() in page.text
    # The public does not read the private need of the small town, but is told it exists.
    assert needs["n3"].get_absolute_url() not in page.text
    assert "private to their city" in page.text


def test_the_presidency_and_another_commissions_secretariat_cannot_adopt(
    client, world, presidency, commission, secretariat
):
    other = make_commission()
    data = {
        "original_language": "en",
        "title": "X",
        "needs": str(world["n1"].pk),
        "adopted_on": "2013-10-01",
    }
    client.force_login(presidency)
    assert (
        client.post(reverse("learning:priority_create", args=[commission.slug]), data).status_code
        == 403
    )
    client.force_login(secretariat)
    assert (
        client.post(reverse("learning:priority_create", args=[other.slug]), data).status_code == 403
    )
    assert not AgendaPriority.objects.exists()


def test_a_priority_citing_unknown_needs_is_refused(client, world, secretariat, commission):
    client.force_login(secretariat)
    missing = LearningNeed.objects.order_by("-pk").first().pk + 100
    response = client.post(
        reverse("learning:priority_create", args=[commission.slug]),
        {
            "original_language": "en",
            "title": "X",
            "needs": f"{missing}",
            "adopted_on": "2013-10-01",
        },
    )
    assert response.status_code == 400
    assert str(missing) in response.text
    assert not AgendaPriority.objects.exists()


def test_a_commissions_agenda_reads_in_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries, commission
):
    from learning.needs import services as services_needs

    for n in range(5):
        services_needs.create_agenda_priority(
            commission=commission,
            original_language="en",
            texts={"title": f"Priority {n}"},
            needs=list(world.values()),
            themes=[make_theme()],
            actor=None,
        )
    with django_assert_max_num_queries(8):
        response = client.get(reverse("learning:agenda_commission", args=[commission.slug]))
    assert response.text.count("Justified by 5 needs") == 5
