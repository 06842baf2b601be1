"""The public pages of the learning programme as visitors see them: rendered once and
kept (learning.pages), yet every change shows at the next request, and the queries of a
page do not grow with what it lists."""

import pytest
from django.urls import reverse

from learning.groups.tests.factories import make_partnership
from learning.models import Milestone, NeedStatus, PartnershipStatus
from learning.needs import services as need_services
from learning.needs.tests.factories import make_need, make_offered_experience, make_theme
from network import changes
from network.models import Organisation
from network.tests.factories import make_city

pytestmark = pytest.mark.django_db


def page(client, url, **query) -> str:
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def test_visitors_see_a_need_changed_renamed_or_withdrawn_at_once(client, member_city):
    url = reverse("learning:needs")
    need = make_need(member_city, title="Planning the growth of a city")
    assert "Planning the growth of a city" in page(client, url)
    need.title_en = "Planning a city that grows fast"
    need.save()
    assert "Planning a city that grows fast" in page(client, url)
    need.themes.add(make_theme("water", "Water and sanitation"))
    assert "Water and sanitation" in page(client, url)
    Organisation.objects.filter(pk=member_city.pk).update(name_en="Rabat-Salé")
    changes.organisations_changed([member_city.pk], fields=["name_en"])
    assert "Rabat-Salé" in page(client, url)
    need_services.change_need_status(need, status=NeedStatus.WITHDRAWN, actor=None)
    assert "Planning a city that grows fast" not in page(client, url)


def test_a_signed_in_reader_gets_the_needs_list_of_their_roles(client, member_city, city_officer):
    private = make_need(member_city, title="Our own private need", visibility="private")
    url = reverse("learning:needs")
    assert private.title not in page(client, url)
    client.force_login(city_officer)
    assert private.title in page(client, url)
    client.logout()
    assert private.title not in page(client, url)


def test_the_needs_list_keeps_its_filters_and_languages_apart(client, member_city):
    make_need(member_city, title="Water for all")
    make_need(member_city, title="Housing for all")
    url = reverse("learning:needs")
    assert "Housing for all" not in page(client, url, q="water")
    assert "Housing for all" in page(client, url)
    assert client.get(url, {"region": "nowhere"}).status_code == 400


@pytest.mark.parametrize("needs", [2, 30])
def test_visitors_read_the_needs_list_in_the_same_queries_whatever_its_length(
    client, member_city, django_assert_max_num_queries, needs
):
    water = make_theme("water")
    for n in range(needs):
        make_need(make_city(), title=f"Need number {n}", themes=[water])
    with django_assert_max_num_queries(9):
        html = page(client, reverse("learning:needs"))
    assert f"Need number {needs - 1}" in html
    with django_assert_max_num_queries(1):
        page(client, reverse("learning:needs"))


def test_the_agenda_counts_a_new_need_and_a_new_offer_at_once(client, member_city, durban):
    url = reverse("learning:agenda")
    water = make_theme("water", "Water and sanitation")
    make_need(member_city, themes=[water])
    assert "1 need" in page(client, url)
    assert "0 experiences offered" in page(client, url)
    make_offered_experience(durban, themes=[water])
    assert "1 experience offered" in page(client, url)
    make_need(member_city, themes=[water])
    assert "2 needs" in page(client, url)


@pytest.mark.parametrize("needs", [2, 30])
def test_visitors_read_the_agenda_in_the_same_queries_whatever_the_demand(
    client, django_assert_max_num_queries, needs
):
    water = make_theme("water")
    for _ in range(needs):
        make_need(make_city(), themes=[water])
    with django_assert_max_num_queries(16):
        html = page(client, reverse("learning:agenda"))
    assert f"{needs} needs" in html


def test_visitors_see_a_partnership_renamed_or_advanced_at_once(client, member_city, durban):
    partnership = make_partnership(parties=[durban, member_city], title="Waste collection")
    listing, detail = reverse("learning:dashboard_partnerships"), partnership.get_absolute_url()
    assert "Waste collection" in page(client, listing)
    assert "Waste collection" in page(client, detail)
    partnership.title_en = "Solid waste collection"
    partnership.status = PartnershipStatus.COMPLETED
    partnership.save()
    for url in (listing, detail):
        assert "Solid waste collection" in page(client, url)
    assert "Solid waste collection" in page(client, listing, status="completed")
    Milestone.objects.create(
        partnership=partnership, title="First exchange visit", due_on="2026-03-01"
    )
    assert "First exchange visit" in page(client, detail)


def test_a_proposal_is_hidden_from_visitors_until_it_is_agreed(client, member_city, durban):
    partnership = make_partnership(
        parties=[durban, member_city], status=PartnershipStatus.PROPOSED, title="Transport"
    )
    assert client.get(partnership.get_absolute_url()).status_code == 404
    assert "Transport" not in page(client, reverse("learning:dashboard_partnerships"))
    partnership.status = PartnershipStatus.AGREED
    partnership.save()
    assert "Transport" in page(client, partnership.get_absolute_url())
    assert "Transport" in page(client, reverse("learning:dashboard_partnerships"))


def test_the_map_shows_a_city_renamed_in_bulk_at_once(client, member_city, durban):
    member_city.latitude, member_city.longitude = 34.02, -6.84
    member_city.save()
    durban.latitude, durban.longitude = -29.86, 31.03
    durban.save()
    make_partnership(parties=[durban, member_city])
    assert "eThekwini" not in page(client, reverse("learning:map"))
    Organisation.objects.filter(pk=durban.pk).update(name_en="eThekwini")
    changes.organisations_changed([durban.pk], fields=["name_en"])
    assert "eThekwini" in page(client, reverse("learning:map"))


@pytest.mark.parametrize("parties", [2, 20])
def test_visitors_read_partnerships_in_the_same_queries_whatever_their_size(
    client, django_assert_max_num_queries, parties
):
    partnership = make_partnership(parties=[make_city() for _ in range(parties)])
    for _ in range(parties):
        make_partnership(parties=[make_city(), make_city()])
    for url, budget in (
        (partnership.get_absolute_url(), 14),
        (reverse("learning:dashboard_partnerships"), 8),
        (reverse("learning:map"), 12),
    ):
        with django_assert_max_num_queries(budget):
            page(client, url)
        with django_assert_max_num_queries(1):
            page(client, url)
