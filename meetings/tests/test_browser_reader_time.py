"""The meeting page shows its times in the reader's own time zone, with no script error."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .factories import make_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("language", "label"),
    [("en", "When (your time)"), ("fr", "Quand (votre heure)"), ("es", "Cuándo (su hora)")],
)
def test_a_visitor_sees_the_meeting_in_their_own_time_zone_without_a_script_error(
    live_server, browser, language, label
):
    start = (timezone.now() + timedelta(days=20)).replace(hour=9, minute=0, second=0, microsecond=0)
    meeting = make_meeting(title="Rabat 2030", starts_at=start)
    context = browser.new_context(timezone_id="Asia/Tokyo", locale=language)
    page = context.new_page()
    page.set_default_timeout(60_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    row = page.locator("dt", has_text=label)
    expect(row).to_be_visible()
    # 09:00 UTC is 18:00 in Tokyo.
    expect(page.locator("time[data-reader]").first).to_contain_text("18:00")
    assert errors == []
    context.close()


def test_the_reader_time_writes_the_french_first_of_the_month(live_server, browser):
    start = timezone.now().replace(
        year=timezone.now().year + 2, month=10, day=1, hour=9, minute=0, second=0, microsecond=0
    )
    meeting = make_meeting(title="Rabat 2030", starts_at=start)
    context = browser.new_context(timezone_id="Asia/Tokyo", locale="fr")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    # 09:00 UTC is 18:00 in Tokyo, the same day.
    reader_time = page.locator("time[data-reader]").first
    expect(reader_time).to_contain_text("18:00")
    expect(reader_time).to_contain_text("1er oct.")
    context.close()
