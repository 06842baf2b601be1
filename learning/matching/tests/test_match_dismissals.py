"""Setting suggestions aside: the item goes, similar ones are ranked lower."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.tests.factories import make_user
from audit.models import AuditEntry
from learning.matching import engine, services
from learning.matching.tests.factories import make_city, make_experience, make_need
from learning.models import DismissalReason, SuggestionDismissal

pytestmark = pytest.mark.django_db


def _ranked(need):
    with translation.override("en"):
        return {item.experience: item for item in engine.suggestions_for_need(need).experiences}


@pytest.fixture
def setting():
    learner = make_city(country="SN", population=300_000)
    asia_a = make_experience(
        make_city(country="IN", region="asia-pacific"), title="Waste recycling"
    )
    asia_b = make_experience(
        make_city(country="IN", region="asia-pacific"), title="Waste recycling"
    )
    africa = make_experience(make_city(country="MA"), title="Waste recycling")
    need = make_need(learner, language="en", title="Recycling waste")
    return need, asia_a, asia_b, africa


def test_a_set_aside_experience_is_no_longer_suggested(setting):
    need, asia_a, asia_b, africa = setting
    services.dismiss_suggestion(
        need, experience=asia_a, reason=DismissalReason.OTHER, note="Seen it", actor=None
    )

    ranked = _ranked(need)

    assert asia_a not in ranked
    assert ranked[asia_b].factors.get("dismissals") is None
    assert AuditEntry.objects.filter(action="learning.suggestion.dismissed").count() == 1


def test_too_far_lowers_the_other_experiences_of_that_region_only(setting):
    need, asia_a, asia_b, africa = setting
    before = _ranked(need)

    services.dismiss_suggestion(need, experience=asia_a, reason=DismissalReason.TOO_FAR, actor=None)
    after = _ranked(need)

    assert after[asia_b].score == pytest.approx(before[asia_b].score * 0.6, abs=2e-4)
    assert after[africa].score == before[africa].score
    assert "Ranked lower: like a suggestion you set aside (Too far away)" in after[asia_b].reasons


def test_different_size_lowers_cities_of_the_set_aside_size():
    learner = make_city(country="SN", population=300_000)
    mega_a = make_experience(make_city(country="MA", population=5_000_000), title="Waste recycling")
    mega_b = make_experience(make_city(country="MA", population=3_000_000), title="Waste recycling")
    peer = make_experience(make_city(country="MA", population=200_000), title="Waste recycling")
    need = make_need(learner, language="en", title="Recycling waste")
    before = _ranked(need)

    services.dismiss_suggestion(
        need, experience=mega_a, reason=DismissalReason.DIFFERENT_SIZE, actor=None
    )
    after = _ranked(need)

    assert after[mega_b].factors["dismissals"] == 0.6
    assert after[peer].score == before[peer].score


def test_already_known_halves_the_other_experiences_of_the_same_city():
    learner = make_city(country="SN")
    known = make_city(country="MA")
    first = make_experience(known, title="Waste recycling")
    second = make_experience(known, title="Waste collection and recycling")
    need = make_need(learner, language="en", title="Recycling waste")
    before = _ranked(need)

    services.dismiss_suggestion(
        need, experience=first, reason=DismissalReason.ALREADY_KNOWN, actor=None
    )

    assert _ranked(need)[second].score == pytest.approx(before[second].score * 0.5, abs=2e-4)


def test_not_the_same_problem_halves_the_concepts_it_matched_on():
    learner = make_city(country="SN")
    side = make_experience(make_city(country="MA"), title="A tourism market")
    other_side = make_experience(make_city(country="MA"), title="Tourism")
    core = make_experience(make_city(country="MA"), title="Street vendors in the market")
    need = make_need(
        learner, language="en", title="Street vendors in the market", problem="Tourism."
    )
    before = _ranked(need)

    services.dismiss_suggestion(
        need, experience=side, reason=DismissalReason.NOT_RELEVANT, actor=None
    )
    after = _ranked(need)

    assert after[other_side].topic < before[other_side].topic
    assert after[core].score > after[other_side].score


def test_a_set_aside_peer_city_leaves_the_list_of_cities(setting):
    need, asia_a, asia_b, africa = setting
    services.dismiss_suggestion(
        need, organisation=africa.city, reason=DismissalReason.OTHER, actor=None
    )

    with translation.override("en"):
        cities = [item.city for item in engine.suggestions_for_need(need).cities]

    assert africa.city not in cities and asia_a.city in cities


def test_setting_aside_needs_exactly_one_item_and_a_known_reason(setting):
    need, asia_a, _b, africa = setting
    with pytest.raises(ValidationError):
        services.dismiss_suggestion(need, reason=DismissalReason.OTHER, actor=None)
    with pytest.raises(ValidationError):
        services.dismiss_suggestion(
            need,
            experience=asia_a,
            organisation=africa.city,
            reason=DismissalReason.OTHER,
            actor=None,
        )
    with pytest.raises(ValidationError):
        services.dismiss_suggestion(need, experience=asia_a, reason="bored", actor=None)
    assert not SuggestionDismissal.objects.exists()


def test_setting_aside_twice_keeps_one_row_with_the_last_reason(setting):
    need, asia_a, _b, _c = setting
    user = make_user()
    services.dismiss_suggestion(need, experience=asia_a, reason=DismissalReason.OTHER, actor=user)
    services.dismiss_suggestion(need, experience=asia_a, reason=DismissalReason.TOO_FAR, actor=user)
    assert list(SuggestionDismissal.objects.values_list("reason", flat=True)) == ["too_far"]
