import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry
from commissions import services
from commissions.models import CommissionMembership
from learning.groups.services import create_group
from network.models import Visibility

from .factories import (
    make_commission,
    make_country,
    make_membership,
    make_organisation,
    make_person,
    make_presidency,
    make_region,
    make_secretariat,
)

pytestmark = pytest.mark.django_db

EVERYONE = [
    "administrator",
    "secretariat",
    "other_secretariat",
    "presidency",
    "city_officer",
    "outsider",
    "anonymous",
]
MANAGERS = {"administrator", "secretariat"}


@pytest.fixture
def people(request):
    """Each persona of EVERYONE by name, from the cast; anonymous is None."""
    return {
        name: request.getfixturevalue(name) if name != "anonymous" else None for name in EVERYONE
    }


def _client_for(client, user):
    if user is not None:
        client.force_login(user)
    return client


def test_the_list_groups_commissions_by_kind_with_presidency_and_member_count(
    client, django_assert_max_num_queries
):
    planning = make_commission(name_en="Strategic Urban Planning")
    make_presidency(planning, organisation=make_organisation(name_en="Durban"))
    for _ in range(3):
        make_membership(planning)
    for n in range(5):
        group = make_commission(name_en=f"Group {n}", kind="working_group")
        make_presidency(group)
        make_membership(group)
    make_commission(name_en="Peer learning", kind="community")
    with django_assert_max_num_queries(6):
        response = client.get(reverse("commissions:list"))
    page = response.content.decode()
    assert "<h2" in page
    assert page.index(">Commissions</h2>") < page.index(">Working groups</h2>")
    assert page.index(">Working groups</h2>") < page.index(">Communities of practice</h2>")
    assert "President: Durban" in page
    assert "3 members" in page


def test_the_list_is_in_the_readers_language(client):
    make_commission(name_en="Strategic Urban Planning", name_fr="Planification urbaine")
    response = client.get(reverse("commissions:list"), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Planification urbaine" in response.content.decode()


def test_the_page_shows_mandate_presidency_and_past_presidencies(client):
    commission = make_commission(mandate_en="Plan cities together.")
    durban = make_organisation(name_en="Durban")
    make_presidency(
        commission,
        role="co_president",
        organisation=durban,
        person=make_person(first_name="Thandi", last_name="Mokoena", organisation=durban),
        start_date=datetime.date(2020, 1, 1),
    )
    make_presidency(
        commission,
        organisation=make_organisation(name_en="Lyon"),
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2013, 1, 1),
    )
    page = client.get(reverse("commissions:detail", args=[commission.slug])).content.decode()
    assert "Plan cities together." in page
    presidency = page[page.index(">Presidency</h2>") : page.index(">Secretariat</h2>")]
    current = presidency[: presidency.index("Past presidencies")]
    assert "Co-president" in current and "Durban" in current and "Thandi Mokoena" in current
    assert "Lyon" not in current
    assert "Lyon" in presidency[presidency.index("Past presidencies") :]


def test_the_mandate_is_shown_in_french_to_a_french_reader(client):
    commission = make_commission(mandate_en="In English", mandate_fr="En français")
    page = client.get(
        reverse("commissions:detail", args=[commission.slug]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "En français" in page
    assert "Présidence" in page


@pytest.mark.parametrize(
    ("visibility", "readers"),
    [
        (Visibility.PUBLIC, set(EVERYONE)),
        (Visibility.MEMBERS, set(EVERYONE) - {"anonymous", "outsider"}),
        (Visibility.PRIVATE, {"administrator"}),
    ],
)
def test_secretariat_contacts_show_details_only_to_allowed_readers(
    client, commission, people, visibility, readers
):
    secretariat = make_secretariat(commission)
    contact = make_person(
        first_name="Lucia",
        organisation=secretariat.organisation,
        email="lucia@example.org",
        contact_visibility=visibility,
    )
    secretariat.contacts.add(contact)
    for persona in EVERYONE:
        client.logout()
        page = (
            _client_for(client, people[persona])
            .get(reverse("commissions:detail", args=[commission.slug]))
            .content.decode()
        )
        assert "Lucia" in page
        assert ("lucia@example.org" in page) is (persona in readers), persona


def test_members_are_counted_by_region_and_listed_with_a_limit(client, settings):
    commission = make_commission()
    africa = make_country(region=make_region(code="africa", name_en="Africa"))
    europe = make_country(region=make_region(code="europe", name_en="Europe"))
    for n in range(30):
        make_membership(
            commission, make_organisation(name_en=f"African city {n:02d}", country=africa)
        )
    make_membership(commission, make_organisation(name_en="Bilbao", country=europe))
    page = client.get(reverse("commissions:detail", args=[commission.slug])).content.decode()
    assert "31 members" in page and "from 2 regions" in page
    assert "Africa (30)" in page and "Europe (1)" in page
    assert "African city 24" in page
    assert "African city 25" not in page  # beyond the 25 listed per region
    assert "/directory/?commission=" + commission.slug + "&amp;region=africa" in page
    assert "region=europe" not in page


def test_a_commission_page_with_200_members_stays_within_a_query_budget(
    client, commission, people, django_assert_max_num_queries
):
    countries = [make_country() for _ in range(6)]
    for n in range(200):
        make_membership(commission, make_organisation(country=countries[n % 6]))
    for _ in range(3):
        make_presidency(commission)
    secretariat = make_secretariat(commission)
    for _ in range(3):
        secretariat.contacts.add(make_person(organisation=secretariat.organisation))
    client.force_login(people["secretariat"])
    # 13: the header's unread notifications and the Follow button take one query each.
    with django_assert_max_num_queries(13):
        response = client.get(reverse("commissions:detail", args=[commission.slug]))
    assert "201 members" in response.content.decode()  # personas add one member


def test_an_unknown_commission_is_404(client):
    assert client.get(reverse("commissions:detail", args=["nope"])).status_code == 404


@pytest.mark.parametrize("persona", EVERYONE)
def test_member_controls_are_shown_only_to_managers(client, commission, people, persona):
    page = (
        _client_for(client, people[persona])
        .get(reverse("commissions:detail", args=[commission.slug]))
        .content.decode()
    )
    assert ("Add a member organisation" in page) is (persona in MANAGERS)
    assert ("History of changes" in page) is (persona in MANAGERS)


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_managers_add_members(client, commission, people, persona):
    rabat = make_organisation(name_en="Rabat")
    response = _client_for(client, people[persona]).post(
        reverse("commissions:add_member", args=[commission.slug]),
        {"organisation": rabat.pk},
        follow=True,
    )
    is_member = CommissionMembership.objects.filter(
        commission=commission, organisation=rabat
    ).exists()
    if persona in MANAGERS:
        assert is_member
        assert "Rabat is now a member of" in response.content.decode()
    else:
        assert response.status_code == 403
        assert not is_member


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_managers_remove_members(client, commission, people, persona):
    membership = make_membership(commission)
    url = reverse("commissions:remove_member", args=[commission.slug, membership.organisation_id])
    response = _client_for(client, people[persona]).post(url)
    still_member = CommissionMembership.objects.filter(pk=membership.pk).exists()
    if persona in MANAGERS:
        assert response.status_code == 302
        assert not still_member
    else:
        assert response.status_code == 403
        assert still_member


def test_removing_a_member_asks_for_confirmation_first(client, commission, people):
    membership = make_membership(commission, make_organisation(name_en="Rabat"))
    client.force_login(people["secretariat"])
    url = reverse("commissions:remove_member", args=[commission.slug, membership.organisation_id])
    response = client.get(url)
    assert "Remove Rabat from the members of" in response.content.decode()
    assert CommissionMembership.objects.filter(pk=membership.pk).exists()
    response = client.post(url, follow=True)
    assert "Rabat is no longer a member of" in response.content.decode()


def test_adding_an_unknown_organisation_is_a_clear_400(client, commission, people):
    client.force_login(people["secretariat"])
    for value in ["999999", "abc", ""]:
        response = client.post(
            reverse("commissions:add_member", args=[commission.slug]), {"organisation": value}
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "does not exist" in page or "Choose an organisation" in page or "required" in page
    assert CommissionMembership.objects.filter(commission=commission).count() == 1


def test_adding_an_existing_member_again_says_so(client, commission, people):
    client.force_login(people["secretariat"])
    member = make_membership(commission, make_organisation(name_en="Rabat")).organisation
    response = client.post(
        reverse("commissions:add_member", args=[commission.slug]),
        {"organisation": member.pk},
        follow=True,
    )
    assert "Rabat already was a member of" in response.content.decode()
    assert CommissionMembership.objects.filter(organisation=member).count() == 1


def test_a_forged_post_for_another_commission_is_refused(client, people):
    theirs = make_commission()
    client.force_login(people["secretariat"])
    target = make_membership(theirs)
    response = client.post(
        reverse("commissions:remove_member", args=[theirs.slug, target.organisation_id])
    )
    assert response.status_code == 403
    assert CommissionMembership.objects.filter(pk=target.pk).exists()


def test_the_search_finds_organisations_by_name_prefix_ignoring_accents(client, commission, people):
    client.force_login(people["secretariat"])
    make_organisation(name_en="Bogotá")
    make_organisation(name_en="Bologna")
    make_organisation(name_en="Lisbon")
    url = reverse("commissions:member_search", args=[commission.slug])
    fragment = client.get(url, {"q": "BOGO"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Bogotá" in fragment and "Bologna" not in fragment
    assert "<html" not in fragment
    page = client.get(url, {"q": "bo"}).content.decode()
    assert "<html" in page and "Bogotá" in page and "Bologna" in page and "Lisbon" not in page


def test_the_search_returns_at_most_ten_and_marks_existing_members(client, commission, people):
    client.force_login(people["secretariat"])
    country = make_country()
    for n in range(12):
        make_organisation(name_en=f"Santa {n:02d}", country=country)
    make_membership(commission, make_organisation(name_en="Santa 00 bis", country=country))
    fragment = client.get(
        reverse("commissions:member_search", args=[commission.slug]),
        {"q": "santa"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert fragment.count("<li>") == 10
    assert "already a member" in fragment


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_managers_search_for_members(client, commission, people, persona):
    response = _client_for(client, people[persona]).get(
        reverse("commissions:member_search", args=[commission.slug]), {"q": "a"}
    )
    if persona in MANAGERS:
        assert response.status_code == 200
    elif persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("persona", EVERYONE)
def test_the_history_is_for_admins_and_the_commissions_secretariat(
    client, commission, people, persona
):
    services.update_commission(commission, mandate_en="A brand new mandate", actor=None)
    services.update_commission(make_commission(), mandate_en="Another commission", actor=None)
    response = _client_for(client, people[persona]).get(
        reverse("commissions:history", args=[commission.slug])
    )
    if persona in MANAGERS:
        page = response.content.decode()
        assert "A brand new mandate" in page
        assert "Another commission" not in page
    elif persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 403


def test_the_history_shows_who_changed_what(client, commission, people):
    client.force_login(people["secretariat"])
    rabat = make_organisation(name_en="Rabat")
    entries_before = AuditEntry.objects.filter(commission=commission).count()
    client.post(
        reverse("commissions:add_member", args=[commission.slug]), {"organisation": rabat.pk}
    )
    page = client.get(reverse("commissions:history", args=[commission.slug])).content.decode()
    assert "Addition" in page
    assert "Commission membership: " in page
    assert "Rabat" in page
    assert "commissions.membership.added" not in page
    assert "organisation_id" not in page
    assert f"<td>{people['secretariat']}</td>" in page  # the author, by name
    assert AuditEntry.objects.filter(commission=commission).count() == entries_before + 1


@pytest.mark.parametrize(
    ("language", "expected", "codes"),
    [
        (
            "fr",
            ["Création", "Circulaire", "Objet (français)", "Brouillon", "Créé par"],
            ["circulars.circular.created", "subject_fr", "created_by_id", ">draft<"],
        ),
        (
            "es",
            ["Creación", "Circular", "Asunto (francés)", "Borrador"],
            ["circulars.circular.created", "subject_fr", "created_by_id", ">draft<"],
        ),
    ],
)
def test_the_history_reads_in_the_readers_language(
    client, commission, people, language, expected, codes
):
    from circulars.tests.factories import make_circular

    make_circular(commissions=[commission], actor=people["secretariat"])
    people["secretariat"].preferred_language = language
    people["secretariat"].save()
    client.force_login(people["secretariat"])
    page = client.get(reverse("commissions:history", args=[commission.slug])).content.decode()
    for text in expected:
        assert text in page
    for code in codes:
        assert code not in page
    # The author is named, not numbered.
    assert str(people["secretariat"]) in page


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_managers_edit_the_mandate(client, commission, people, persona):
    commission.mandate_en = "Old"
    commission.save()
    response = _client_for(client, people[persona]).post(
        reverse("commissions:edit", args=[commission.slug]),
        {"name_en": "Planning", "mandate_en": "New", "mandate_fr": "Nouveau"},
    )
    commission.refresh_from_db()
    if persona in MANAGERS:
        assert response.status_code == 302
        assert (commission.mandate_en, commission.mandate_fr) == ("New", "Nouveau")
    else:
        assert response.status_code == 403
        assert commission.mandate_en == "Old"


def test_a_commission_cannot_lose_its_name(client, commission, people):
    client.force_login(people["administrator"])
    response = client.post(
        reverse("commissions:edit", args=[commission.slug]), {"email": "not an address"}
    )
    assert response.status_code == 400
    commission.refresh_from_db()
    assert commission.name_en == "Planning"


@pytest.mark.parametrize("members", [3, 60])
def test_the_list_needs_the_same_queries_whatever_the_number_of_members(
    client, django_assert_max_num_queries, members
):
    for n in range(4):
        commission = make_commission(name_en=f"Commission {n}")
        make_presidency(commission)
        for _ in range(members // 4):
            make_membership(commission)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("commissions:list"))
    assert f"{members // 4} members" in response.content.decode()


def test_a_new_member_and_a_renamed_one_show_at_once_on_the_commission_pages(client):
    commission = make_commission(name_en="Water")
    member = make_membership(commission, make_organisation(name_en="Niamey")).organisation
    detail = reverse("commissions:detail", args=[commission.slug])
    assert "Niamey" in client.get(detail).content.decode()
    assert "1 member" in client.get(reverse("commissions:list")).content.decode()
    make_membership(commission, make_organisation(name_en="Bamako"))
    member.name_en = "Niamey (capital)"
    member.save()
    page = client.get(detail).content.decode()
    assert "Bamako" in page
    assert "Niamey (capital)" in page
    assert "2 members" in page
    assert "2 members" in client.get(reverse("commissions:list")).content.decode()
    CommissionMembership.objects.get(organisation__name_en="Bamako").delete()
    assert "Bamako" not in client.get(detail).content.decode()


def test_a_new_presidency_and_a_new_commission_show_at_once_in_the_list(client):
    planning = make_commission(name_en="Strategic Urban Planning")
    url = reverse("commissions:list")
    assert "No presidency at present" in client.get(url).content.decode()
    make_presidency(planning, organisation=make_organisation(name_en="Durban"))
    make_commission(name_en="Culture")
    page = client.get(url).content.decode()
    assert "Durban" in page
    assert "Culture" in page
    assert page.count("No presidency at present") == 1


def test_visitors_see_a_change_to_the_commission_page_at_once(client):
    commission = make_commission(name_en="Water", mandate_en="Plan the wells.")
    lyon = make_organisation(name_en="Lyon")
    detail = reverse("commissions:detail", args=[commission.slug])
    page = client.get(detail).content.decode()
    assert "Plan the wells." in page and "No presidency at present." in page
    services.update_commission(commission, actor=None, mandate_en="Plan the rivers.")
    services.set_presidency(commission, role="president", organisation=lyon, actor=None)
    secretariat = services.set_secretariat(commission, organisation=lyon, actor=None)
    services.add_secretariat_contact(
        secretariat,
        make_person(first_name="Lucia", organisation=lyon, contact_visibility=Visibility.PUBLIC),
        actor=None,
    )
    create_group(
        slug="rivers", names={"en": "Rivers group"}, facilitating_commission=commission, actor=None
    )
    page = client.get(detail).content.decode()
    assert "<title>Water" in page
    assert "Plan the rivers." in page and "Plan the wells." not in page
    assert "No presidency at present." not in page
    assert "Lucia" in page
    assert "Rivers group" in page
    services.update_commission(commission, actor=None, name_en="Water and rivers")
    assert "<h1>Water and rivers</h1>" in client.get(detail).content.decode()


def test_visitors_read_the_page_in_the_same_queries_whatever_the_number_of_members(
    client, django_assert_num_queries
):
    counts = []
    for size in (5, 50):
        commission = make_commission()
        for _ in range(size):
            make_membership(commission, make_organisation())
        url = reverse("commissions:detail", args=[commission.slug])
        with CaptureQueriesContext(connection) as queries:
            assert f"{size} members" in client.get(url).content.decode()
        counts.append(len(queries))
        with django_assert_num_queries(0):  # then kept until something changes
            assert f"{size} members" in client.get(url).content.decode()
    assert counts[0] == counts[1]
