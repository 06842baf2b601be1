"""A proposal to a city nobody can receive: the proposer's own answer counts, the page says
who cannot be reached and how to reach them, and the need waits for the agreement."""

import pytest

from learning.models import LearningNeed, NeedStatus, PartyResponse
from learning.needs.tests.factories import make_need
from learning.partnerships import services
from learning.partnerships.tests.factories import World, make_organisation, make_representative

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
    # Lucia reads Spanish.
    assert "nadie puede recibirla todavía en Surabaya" in page
    assert "se pide a las demás partes" not in page
    partnership = response.context["partnership"]
    responses = {p.organisation_id: p.response for p in partnership.parties.all()}
    # The proposer's city proposed it: that is its acceptance.
    assert responses == {world.learner.pk: PartyResponse.ACCEPTED, surabaya.pk: "pending"}
    assert partnership.status == "proposed"
    assert "Otjiwarongo ha aceptado; las demás partes aún deben responder." in page
    assert "Aceptar la alianza" not in page
    # Proposed is not agreed: the need is still open.
    assert LearningNeed.objects.get(pk=need.pk).status == NeedStatus.OPEN

    # The facilitating secretariat (Sofia reads French) sees who cannot be reached and
    # can invite someone.
    client.force_login(world.sofia)
    page = client.get(partnership.get_absolute_url()).content.decode()
    assert "Personne ne peut encore recevoir cette proposition" in page
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
    assert "Personne ne peut encore recevoir cette proposition" not in page
