"""One journey in a real browser, in French: from a meeting to a circular sent to everyone."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from .factories import Cast, make_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def test_a_secretariat_turns_a_meeting_into_a_circular_and_watches_it_sent(
    live_server, page, smtp_server
):
    cast = Cast()
    cast.secretariat.set_password(PASSWORD)
    cast.secretariat.preferred_language = "fr"
    cast.secretariat.save()
    meeting = make_meeting(commissions=[cast.planning], title="Réunion de Rabat", host=cast.rabat)
    base = live_server.url

    page.goto(f"{base}/accounts/login/?next=/meetings/{meeting.pk}/")
    page.fill("#id_username", cast.secretariat.email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.get_by_role("link", name="Rédiger une circulaire").click()
    page.get_by_role("button", name="Rédiger le brouillon").click()
    expect(page.get_by_text("Chers collègues, membres et partenaires,")).to_be_visible()

    page.get_by_role("link", name="Modifier", exact=True).click()
    page.fill("#id_subject_es", "Circular: resultados de la reunión de Rabat")
    page.fill(
        "#id_body_es", "Estimados colegas:\n\nLa reunión decidió **cuatro líneas de trabajo**."
    )
    page.click("main button[type=submit]")
    expect(page.get_by_text("Circulaire enregistrée.")).to_be_visible()

    page.get_by_role("link", name="Audience", exact=True).first.click()
    expect(page.get_by_text("2 destinataires")).to_be_visible()
    page.go_back()

    page.get_by_role("button", name="Envoyer un test").click()
    expect(
        page.get_by_text(f"Une copie de test est en route vers {cast.secretariat.email}")
    ).to_be_visible()
    page.get_by_role("button", name="Approuver").click()
    expect(page.get_by_text("Circulaire approuvée")).to_be_visible()
    page.get_by_role("button", name="Envoyer maintenant").click()
    expect(page.locator("#progress")).to_contain_text("En cours d'envoi")
    expect(page.locator("#progress")).to_contain_text("0 destinataires traités sur 2")

    # The background worker picks up the run (and the test copy) while the page polls.
    call_command("db_worker", batch=True, queue_name="*", interval=0.1, reload=False)

    expect(page.locator("#progress")).to_contain_text(
        "2 destinataires traités sur 2", timeout=15_000
    )
    expect(page.locator("#progress")).to_contain_text("Envoyée")
    recipients = sorted(m["To"].addresses[0].addr_spec for m in smtp_server)
    assert recipients == sorted(
        [cast.secretariat.email, cast.officer_person.email, cast.colleague.email]
    )
