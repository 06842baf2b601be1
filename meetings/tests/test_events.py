from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar

from meetings import services
from meetings.models import ExternalEvent

pytestmark = pytest.mark.django_db


def _event(cast, **overrides):
    values = {
        "titles": {"en": "UN expert group meeting"},
        "organiser": "UN-Habitat",
        "place": "Nairobi",
        "starts_on": date(2030, 4, 7),
        "ends_on": date(2030, 4, 9),
        "commissions": [cast.planning],
        "actor": None,
    }
    values.update(overrides)
    return services.create_external_event(**values)


def test_an_event_cannot_end_before_it_starts(cast):
    with pytest.raises(ValidationError):
        _event(cast, ends_on=date(2030, 4, 1))
    assert not ExternalEvent.objects.exists()


def test_the_secretariat_mandates_a_representative_who_reports_back(client, cast):
    event = _event(cast)
    client.force_login(cast.secretariat)
    client.post(
        reverse("meetings:event", args=[event.pk]),
        {
            "action": "represent",
            "organisation": cast.rabat.pk,
            "text_en": "Defend local leadership",
        },
    )
    representation = event.representations.get()
    assert representation.mandate == "Defend local leadership"
    client.force_login(cast.officer)
    response = client.post(
        reverse("meetings:event", args=[event.pk]),
        {
            "action": "report_back",
            "representation": representation.pk,
            "report_back": "Done, well received",
        },
        follow=True,
    )
    assert "Done, well received" in response.content.decode()


def test_others_can_neither_mandate_nor_report_back(client, cast):
    event = _event(cast)
    representation = services.add_representation(
        event, organisation=cast.rabat, mandates={"en": "Speak"}, actor=None
    )
    for user in (cast.presidency, cast.other_secretariat, cast.outsider):
        client.force_login(user)
        mandate = client.post(
            reverse("meetings:event", args=[event.pk]),
            {"action": "represent", "organisation": cast.durban.pk, "text_en": "x"},
        )
        report = client.post(
            reverse("meetings:event", args=[event.pk]),
            {"action": "report_back", "representation": representation.pk, "report_back": "Forged"},
        )
        assert (mandate.status_code, report.status_code) == (403, 403)
    representation.refresh_from_db()
    assert representation.report_back == "" and event.representations.count() == 1


def test_events_appear_in_the_network_calendar_and_its_feed(client, cast):
    _event(cast)
    assert "UN expert group meeting" in client.get(reverse("meetings:list")).content.decode()
    feed = Calendar.from_ical(client.get(reverse("meetings:calendar_ical")).content)
    [event] = feed.walk("VEVENT")
    assert event["dtstart"].dt == date(2030, 4, 7) and event["dtend"].dt == date(2030, 4, 10)


def test_a_secretariat_records_an_external_event(client, cast):
    client.force_login(cast.secretariat)
    response = client.post(
        reverse("meetings:event_create"),
        {
            "title_en": "European platform",
            "organiser": "European platform",
            "starts_on": "2030-05-01",
            "ends_on": "2030-05-02",
            "commissions": [cast.planning.pk],
        },
    )
    assert response.status_code == 302
    client.force_login(cast.officer)
    assert client.get(reverse("meetings:event_create")).status_code == 403
