from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar

from meetings import services
from meetings.models import ExternalEvent

pytestmark = pytest.mark.django_db


def _event(commission, **overrides):
    values = {
        "titles": {"en": "UN expert group meeting"},
        "organiser": "UN-Habitat",
        "place": "Nairobi",
        "starts_on": date(2030, 4, 7),
        "ends_on": date(2030, 4, 9),
        "commissions": [commission],
        "actor": None,
    }
    values.update(overrides)
    return services.create_external_event(**values)


def test_an_event_cannot_end_before_it_starts(commission):
    with pytest.raises(ValidationError):
        _event(commission, ends_on=date(2030, 4, 1))
    assert not ExternalEvent.objects.exists()


def test_the_secretariat_mandates_a_representative_who_reports_back(
    client, commission, member_city, secretariat, city_officer
):
    event = _event(commission)
    client.force_login(secretariat)
    client.post(
        reverse("meetings:event", args=[event.pk]),
        {
            "action": "represent",
            "organisation": member_city.pk,
            "text_en": "Defend local leadership",
        },
    )
    representation = event.representations.get()
    assert representation.mandate == "Defend local leadership"
    client.force_login(city_officer)
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


def test_others_can_neither_mandate_nor_report_back(
    client, other_secretariat, commission, member_city, durban, presidency, outsider
):
    event = _event(commission)
    representation = services.add_representation(
        event, organisation=member_city, mandates={"en": "Speak"}, actor=None
    )
    for user in (presidency, other_secretariat, outsider):
        client.force_login(user)
        mandate = client.post(
            reverse("meetings:event", args=[event.pk]),
            {"action": "represent", "organisation": durban.pk, "text_en": "x"},
        )
        report = client.post(
            reverse("meetings:event", args=[event.pk]),
            {"action": "report_back", "representation": representation.pk, "report_back": "Forged"},
        )
        assert (mandate.status_code, report.status_code) == (403, 403)
    representation.refresh_from_db()
    assert representation.report_back == "" and event.representations.count() == 1


def test_events_appear_in_the_network_calendar_and_its_feed(client, commission):
    _event(commission)
    assert "UN expert group meeting" in client.get(reverse("meetings:list")).content.decode()
    feed = Calendar.from_ical(client.get(reverse("meetings:calendar_ical")).content)
    [event] = feed.walk("VEVENT")
    assert event["dtstart"].dt == date(2030, 4, 7) and event["dtend"].dt == date(2030, 4, 10)


def test_a_secretariat_records_an_external_event(client, commission, secretariat, city_officer):
    client.force_login(secretariat)
    response = client.post(
        reverse("meetings:event_create"),
        {
            "title_en": "European platform",
            "organiser": "European platform",
            "starts_on": "2030-05-01",
            "ends_on": "2030-05-02",
            "commissions": [commission.pk],
        },
    )
    assert response.status_code == 302
    client.force_login(city_officer)
    assert client.get(reverse("meetings:event_create")).status_code == 403
