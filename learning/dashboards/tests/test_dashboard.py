"""The learning dashboards: who opens them, what they count, and at what cost."""

import pytest
from django.urls import reverse

from learning.groups import services
from learning.groups.tests.factories import (
    make_group,
    make_organisation,
    make_partnership,
)
from library.models import Theme
from network.tests.factories import make_country, make_region

pytestmark = pytest.mark.django_db


def test_the_programme_dashboard_counts_partnerships_by_status_theme_and_region(
    client, commission, member_city, administrator
):
    housing = Theme.objects.get_or_create(key="housing", defaults={"label": "Housing"})[0]
    africa = make_country(code="ZA", region=make_region(code="africa", name="Africa"))
    durban = make_organisation(name="eThekwini", country=africa)
    for status in ("active", "active", "proposed", "completed"):
        make_partnership(
            parties=[durban, member_city], status=status, commission=commission, themes=[housing]
        )
    client.force_login(administrator)
    response = client.get(reverse("learning:dashboard"))
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.total == 4
    assert {bar.key: bar.count for bar in figures.by_status} == {
        "proposed": 1,
        "agreed": 0,
        "active": 2,
        "completed": 1,
        "closed_early": 0,
    }
    assert [(bar.key, bar.count) for bar in figures.by_theme] == [("housing", 4)]
    assert ("africa", 4) in [(bar.key, bar.count) for bar in figures.by_region]
    page = response.content.decode()
    assert reverse("learning:dashboard_partnerships") + "?status=active" in page
    assert "Partnerships by region of their parties" in page


def test_a_commission_dashboard_counts_only_its_own_partnerships_and_groups(
    client, commission, other_commission, member_city, durban, secretariat
):
    make_partnership(parties=[durban, member_city], commission=commission)
    make_partnership(parties=[durban, member_city], commission=other_commission)
    group = make_group(commission=commission, name="Planners")
    make_group(commission=other_commission, name="Others")
    services.add_conclusion(group, texts={"en": "Meet in Durban"}, actor=None)
    client.force_login(secretariat)
    response = client.get(reverse("learning:commission_dashboard", args=[commission.slug]))
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.total == 1
    assert [g.name for g in figures.groups] == ["Planners"]
    assert figures.open_conclusion_count == 1
    page = response.content.decode()
    assert "Meet in Durban" in page and "Others" not in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("administrator", 200),
        ("secretariat", 200),
        ("presidency", 200),
        ("other_secretariat", 403),
        ("city_officer", 403),
        ("outsider", 403),
    ],
)
def test_a_commission_dashboard_is_for_its_secretariat_presidency_and_administrators(
    client, request, commission, persona, status
):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("learning:commission_dashboard", args=[commission.slug])
    assert client.get(url).status_code == status


def test_anonymous_visitors_are_asked_to_log_in_for_the_dashboards(client, commission):
    response = client.get(reverse("learning:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    response = client.get(reverse("learning:commission_dashboard", args=[commission.slug]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_secretariat_is_taken_from_the_programme_dashboard_to_its_commissions(
    client, commission, secretariat, city_officer
):
    client.force_login(secretariat)
    response = client.get(reverse("learning:dashboard"))
    assert response.url == reverse("learning:commission_dashboard", args=[commission.slug])
    client.force_login(city_officer)
    assert client.get(reverse("learning:dashboard")).status_code == 403


def test_an_unknown_commission_has_no_dashboard(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("learning:commission_dashboard", args=["nowhere"])).status_code == 404


def test_the_dashboard_reads_the_same_few_queries_for_many_partnerships(
    client, commission, administrator, django_assert_max_num_queries
):
    themes = [
        Theme.objects.get_or_create(key=f"t{n}", defaults={"label": f"Theme {n}"})[0]
        for n in range(5)
    ]
    cities = [make_organisation() for _ in range(12)]
    for n in range(40):
        make_partnership(
            parties=[cities[n % 12], cities[(n + 1) % 12], cities[(n + 5) % 12]],
            status=["proposed", "active", "completed"][n % 3],
            commission=commission,
            themes=themes[: n % 5],
        )
    for n in range(6):
        group = make_group(commission=commission)
        services.add_member(group, cities[n], actor=None)
        services.add_conclusion(group, texts={"en": f"Conclusion {n}"}, actor=None)
    client.force_login(administrator)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("learning:dashboard"))
    assert response.context["figures"].total == 40


def test_the_partnership_list_filters_and_hides_proposals_from_the_public(
    client, commission, member_city, durban
):
    housing = Theme.objects.get_or_create(key="housing", defaults={"label": "Housing"})[0]
    make_partnership(
        parties=[durban, member_city],
        status="active",
        title="Housing pair",
        themes=[housing],
        commission=commission,
    )
    make_partnership(parties=[durban, member_city], status="active", title="Other pair")
    make_partnership(parties=[durban, member_city], status="proposed", title="Secret idea")
    url = reverse("learning:dashboard_partnerships")
    page = client.get(url, {"theme": "housing"}).content.decode()
    assert "Housing pair" in page and "Other pair" not in page
    page = client.get(url, {"commission": commission.slug, "status": "active"}).content.decode()
    assert "Housing pair" in page and "Other pair" not in page
    page = client.get(url).content.decode()
    assert "Secret idea" not in page
    assert client.get(url, {"status": "nonsense", "page": "x"}).status_code == 200


def test_the_dashboard_is_translated_into_spanish(client, administrator):
    administrator.preferred_language = "es"
    administrator.save()
    client.force_login(administrator)
    response = client.get(reverse("learning:dashboard"), HTTP_ACCEPT_LANGUAGE="es")
    assert "Alianzas por estado" in response.content.decode()


def test_the_dashboard_includes_the_monitoring_panel(client, administrator):
    client.force_login(administrator)
    templates = [t.name for t in client.get(reverse("learning:dashboard")).templates]
    assert "learning/_monitoring_panel.html" in templates


def test_the_commission_page_links_to_its_dashboard_for_its_secretariat_only(
    client, commission, secretariat
):
    make_group(commission=commission, name="Planners")
    url = reverse("commissions:detail", args=[commission.slug])
    dashboard_url = reverse("learning:commission_dashboard", args=[commission.slug])
    page = client.get(url).content.decode()
    assert "Planners" in page and dashboard_url not in page
    client.force_login(secretariat)
    assert dashboard_url in client.get(url).content.decode()
