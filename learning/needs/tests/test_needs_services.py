"""Stating, translating and moving learning needs along: learning.needs.services."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from audit.models import AuditEntry
from learning.models import LearningNeed, NeedStatus, NeedStatusChange
from learning.needs import services
from learning.needs.tests.factories import make_city, make_need, make_theme

pytestmark = pytest.mark.django_db


def test_a_need_is_saved_in_its_original_language_with_its_first_history_line(
    member_city, city_officer
):
    theme = make_theme("intermediary-cities")
    need = services.create_need(
        city=member_city,
        original_language="fr",
        texts={"title": "Planifier la croissance", "problem": "La ville grandit vite."},
        themes=[theme],
        learning_modes=["study_visit", "mentoring"],
        working_languages=["fr", "es"],
        urgency="high",
        actor=city_officer,
    )
    need.refresh_from_db()
    assert need.title_fr == "Planifier la croissance"
    assert need.title_en in ("", None)
    assert need.original_language == "fr"
    assert list(need.themes.all()) == [theme]
    assert need.learning_modes == ["study_visit", "mentoring"]
    [line] = NeedStatusChange.objects.filter(need=need)
    assert (line.old_status, line.new_status, line.changed_by) == (
        "",
        NeedStatus.OPEN,
        city_officer,
    )
    assert AuditEntry.objects.filter(
        action="learning.need.created", object_id=str(need.pk)
    ).exists()


@pytest.mark.parametrize(
    ("texts", "field"),
    [
        ({"title": "", "problem": "Something"}, "title"),
        ({"title": "   ", "problem": "Something"}, "title"),
        ({"title": "A title", "problem": ""}, "problem"),
        ({"title": "A title", "problem": "x" * 50_000}, "problem"),
        ({"title": "t" * 300, "problem": "Something"}, "title"),
    ],
)
def test_a_need_without_text_or_with_far_too_much_is_refused_and_nothing_is_saved(texts, field):
    city = make_city()
    with pytest.raises(ValidationError) as error:
        services.create_need(city=city, original_language="en", texts=texts, actor=None)
    assert field in error.value.message_dict
    assert not LearningNeed.objects.exists()
    assert not NeedStatusChange.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="learning.need").exists()


def test_the_message_for_a_too_long_problem_is_in_the_officers_language():
    city = make_city()
    with translation.override("fr"), pytest.raises(ValidationError) as error:
        services.create_need(
            city=city,
            original_language="fr",
            texts={"title": "Titre", "problem": "x" * 50_000},
            actor=None,
        )
    assert "50000 caractères" in error.value.message_dict["problem"][0]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"original_language": "de"}, "original_language"),
        ({"learning_modes": ["telepathy"]}, "learning_modes"),
        ({"working_languages": ["xx"]}, "working_languages"),
        ({"urgency": "yesterday"}, "urgency"),
        ({"visibility": "everyone"}, "visibility"),
    ],
)
def test_unknown_languages_ways_of_learning_and_urgencies_are_refused(overrides, field):
    values = {
        "city": make_city(),
        "original_language": "en",
        "texts": {"title": "A title", "problem": "A problem"},
        "actor": None,
    }
    values.update(overrides)
    with pytest.raises(ValidationError) as error:
        services.create_need(**values)
    assert field in error.value.message_dict
    assert not LearningNeed.objects.exists()


def test_a_translation_is_added_and_the_original_language_stays_the_citys():
    need = make_need(language="fr", title="Gérer les déchets", problem="La collecte manque.")
    services.translate_need(
        need,
        language="es",
        texts={"title": "Gestionar los residuos", "problem": "Falta la recogida."},
        actor=None,
    )
    need.refresh_from_db()
    assert need.original_language == "fr"
    assert need.translation_languages() == ["fr", "es"]
    with translation.override("es"):
        assert need.title == "Gestionar los residuos"


def test_a_translation_into_the_original_language_or_without_a_problem_is_refused():
    need = make_need(language="fr")
    with pytest.raises(ValidationError):
        services.translate_need(
            need, language="fr", texts={"title": "X", "problem": "Y"}, actor=None
        )
    with pytest.raises(ValidationError):
        services.translate_need(
            need, language="en", texts={"title": "X", "problem": ""}, actor=None
        )
    need.refresh_from_db()
    assert need.translation_languages() == ["fr"]


def test_each_status_change_keeps_who_when_and_why(member_city, secretariat, city_officer):
    need = make_need(member_city)
    services.change_need_status(
        need, status=NeedStatus.MATCHED, note="Bilbao offers a visit", actor=secretariat
    )
    services.change_need_status(need, status=NeedStatus.MET, actor=city_officer)
    need.refresh_from_db()
    assert need.status == NeedStatus.MET
    history = list(
        NeedStatusChange.objects.filter(need=need).values_list(
            "old_status", "new_status", "changed_by", "note"
        )
    )
    assert history == [
        ("", "open", None, ""),
        ("open", "matched", secretariat.pk, "Bilbao offers a visit"),
        ("matched", "met", city_officer.pk, ""),
    ]


def test_the_same_or_an_unknown_status_is_refused():
    need = make_need()
    with pytest.raises(ValidationError):
        services.change_need_status(need, status=NeedStatus.OPEN, actor=None)
    with pytest.raises(ValidationError):
        services.change_need_status(need, status="solved", actor=None)
    assert NeedStatusChange.objects.filter(need=need).count() == 1


def test_a_priority_cannot_cite_a_meeting_of_another_commission(commission, secretariat):
    import datetime

    from commissions.tests.factories import make_commission
    from meetings.models import Meeting

    other = make_commission()
    meeting = Meeting.objects.create(
        title_en="Other meeting",
        starts_at=datetime.datetime(2013, 10, 1, 9, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2013, 10, 1, 17, tzinfo=datetime.UTC),
    )
    meeting.commissions.add(other)
    with pytest.raises(ValidationError) as error:
        services.create_agenda_priority(
            commission=commission,
            original_language="en",
            texts={"title": "Planning"},
            needs=[make_need()],
            meeting=meeting,
            actor=secretariat,
        )
    assert "meeting" in error.value.message_dict
