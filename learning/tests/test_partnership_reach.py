"""A proposal to a city nobody can receive: the proposer's own answer counts, the page says
who cannot be reached and how to reach them, and the need waits for the agreement."""

import pytest

from learning import services_partnerships as services
from learning.models import LearningNeed, NeedStatus, PartyResponse

from .factories_needs import make_need
from .factories_partnerships import World, make_organisation, make_representative

pytestmark = pytest.mark.django_db


def test_a_proposal_to_a_city_without_an_account_says_so_and_waits_for_agreement(client):
    world = World()
    surabaya = make_organisation(name="Surabaya")
    need = make_need(world.learner, title="Sorting household waste")
    client.force_login(world.lucia)

    response = client.post(
        "/learning/partnerships/propose/",
        {
            "title": "Household waste",
            "original_language": "en",
            "learners": [world.learner.pk],
            "mentors": [surabaya.pk],
            "commission": world.commission.pk,
            "needs": [need.pk],
            "reporting_every_months": 3,
        },
        follow=True,
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "nobody can receive it yet at Surabaya" in page
    assert "the parties are asked to answer" not in page
    partnership = response.context["partnership"]
    responses = {p.organisation_id: p.response for p in partnership.parties.all()}
    # The proposer's city proposed it: that is its acceptance.
    assert responses == {world.learner.pk: PartyResponse.ACCEPTED, surabaya.pk: "pending"}
    assert partnership.status == "proposed"
    assert "Otjiwarongo has accepted; the other parties are yet to answer." in page
    assert "Accept the partnership" not in page
    # Proposed is not agreed: the need is still open.
    assert LearningNeed.objects.get(pk=need.pk).status == NeedStatus.OPEN

    # The facilitating secretariat sees who cannot be reached and can invite someone.
    client.force_login(world.sofia)
    page = client.get(partnership.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Nobody can receive this proposal yet" in page
    invite_link = f"/accounts/invite/?role=representative&amp;organisation={surabaya.pk}"
    assert invite_link in page
    invited = client.post(
        "/accounts/invite/",
        {
            "email": "wali@surabaya.example.org",
            "role": "representative",
            "organisation": surabaya.pk,
            "language": "en",
        },
    )
    assert invited.status_code == 302

    # Once Surabaya's representative accepts, the partnership is agreed and the need moves.
    wali = make_representative(surabaya)
    services.respond_to_partnership(
        partnership.parties.get(organisation=surabaya), accept=True, actor=wali
    )
    partnership.refresh_from_db()
    assert partnership.status == "agreed"
    assert LearningNeed.objects.get(pk=need.pk).status == NeedStatus.IN_PARTNERSHIP
    page = client.get(partnership.get_absolute_url()).content.decode()
    assert "Nobody can receive this proposal yet" not in page
