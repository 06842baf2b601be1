"""The parties are told of a proposal and its answers by e-mail, each in their language."""

import pytest
from django.core.exceptions import ValidationError

from conftest import message_text
from learning.partnerships import services
from learning.partnerships.tests.factories import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def test_a_proposal_asks_each_party_in_its_own_language(
    world, smtp_server, django_capture_on_commit_callbacks, tasks_run_on_enqueue
):
    with django_capture_on_commit_callbacks(execute=True):
        world.propose()
    by_recipient = {m["To"]: m for m in smtp_server}
    # Sofia proposed it: she is not told of her own act.
    assert set(by_recipient) == {world.lucia.email, world.mandla.email}
    spanish = by_recipient[world.lucia.email]
    assert spanish["Subject"] == "Alianza propuesta: Solid waste management"
    assert "Acéptela o rechácela en su página." in message_text(spanish)
    english = by_recipient[world.mandla.email]
    assert "Please accept or decline it on its page." in message_text(english)
    assert "/learning/partnerships/" in message_text(english)


def test_when_the_last_party_accepts_everyone_is_told_it_is_agreed(
    world, smtp_server, django_capture_on_commit_callbacks, tasks_run_on_enqueue
):
    partnership = world.propose()
    learner = partnership.parties.get(organisation=world.learner)
    mentor = partnership.parties.get(organisation=world.mentor)
    with django_capture_on_commit_callbacks(execute=True):
        services.respond_to_partnership(learner, accept=True, actor=world.lucia)
    assert {m["To"] for m in smtp_server} == {world.mandla.email, world.sofia.email}
    assert "Otjiwarongo a accepté le partenariat" in message_text(
        next(m for m in smtp_server if m["To"] == world.sofia.email)
    )
    smtp_server.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.respond_to_partnership(mentor, accept=True, actor=world.mandla)
    assert {m["To"] for m in smtp_server} == {
        world.lucia.email,
        world.mandla.email,
        world.sofia.email,
    }
    assert all(
        "Partnership agreed" in m["Subject"]
        or "Partenariat convenu" in m["Subject"]
        or "Alianza acordada" in m["Subject"]
        for m in smtp_server
    )


def test_nothing_is_sent_when_the_answer_is_refused(
    world, smtp_server, django_capture_on_commit_callbacks, tasks_run_on_enqueue
):
    partnership = world.agreed()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.respond_to_partnership(
            partnership.parties.first(), accept=False, actor=world.lucia
        )
    assert smtp_server == []


@pytest.mark.django_db(transaction=True)
def test_partnership_notices_leave_with_the_background_worker_after_the_proposal_is_saved(
    smtp_server,
):
    from conftest import run_background_worker

    world = World()
    world.propose()
    # The proposal is saved and its page answered: no mail has been handed over yet.
    assert smtp_server == []

    run_background_worker()

    by_recipient = {m["To"]: m for m in smtp_server}
    assert set(by_recipient) == {world.lucia.email, world.mandla.email}
    assert by_recipient[world.lucia.email]["Subject"] == (
        "Alianza propuesta: Solid waste management"
    )
