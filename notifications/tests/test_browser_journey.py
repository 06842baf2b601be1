"""In a real headless browser: a city officer working in Spanish follows a theme, the
secretariat publishes an experience on it, the officer sees the notification and then
receives the daily digest in Spanish."""

import datetime

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from conftest import message_text
from library import services as library
from library.tests.factories import make_city, make_commission, make_experience, make_user
from notifications import digests
from notifications.models import Follow

from .factories import make_theme, run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"  # noqa: S105 - test only


def test_an_officer_in_spanish_follows_a_theme_and_hears_of_a_new_experience(
    live_server, page, smtp_server
):
    housing = make_theme("tactical-urbanism", "Tactical urbanism")
    housing.label_es = "Urbanismo táctico"
    housing.save()
    quito = make_city("Quito")
    officer = make_user(
        Role.REPRESENTATIVE, organisation=quito, email="lucia@quito.ec", first_name="Lucía"
    )
    officer.set_password(PASSWORD)
    officer.preferred_language = "es"
    officer.save()
    secretariat = make_user(Role.SECRETARIAT, commission=make_commission())

    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username], input[name=email], input[type=email]").first.fill(
        officer.email
    )
    page.locator("input[type=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")

    page.goto(f"{live_server.url}/notifications/following/")
    theme_row = page.locator("main li", has_text="Urbanismo táctico")
    theme_row.get_by_role("button", name="Seguir").click()
    # htmx swaps the button in place: no page load.
    expect(theme_row.get_by_role("button", name="Siguiendo")).to_be_visible()
    assert Follow.objects.filter(user=officer, target_id=housing.pk).exists()

    experience = make_experience(
        make_city("Medellín"), status="in_review", themes=[housing], title="Social urbanism"
    )
    library.publish_experience(experience, actor=secretariat)
    run_worker()

    page.goto(f"{live_server.url}/")
    expect(page.locator(".notification-count .badge")).to_have_text("1")
    page.get_by_role("link", name="Notificaciones").click()
    expect(page.locator("main")).to_contain_text("Nueva experiencia: Social urbanism")
    page.goto(f"{live_server.url}/")
    expect(page.locator(".notification-count .badge")).to_have_count(0)

    assert digests.send_digests(datetime.date.today()) == 1
    [mail] = smtp_server
    assert mail["To"] == "lucia@quito.ec"
    assert "novedad" in mail["Subject"]
    text = message_text(mail)
    assert "Estimado/a Lucía:" in text
    assert "Nueva experiencia: Social urbanism" in text
