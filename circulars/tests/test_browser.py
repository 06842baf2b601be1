"""Journeys in a real browser: from a meeting to a circular sent to everyone."""

import re
from collections import Counter

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from circulars.models import Circular
from conftest import message_text, pass_second_step, second_step_code
from demo.world import DEMO_PASSWORD
from network.models import Person

from .factories import make_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def _hold_polls_while_the_worker_runs(page):
    """The page keeps polling its progress bar, but each poll reaches the server only
    when the test is back in the browser (Playwright's sync API runs route handlers then).

    The test database is SQLite in memory with a shared cache: the worker (here, in the
    test's thread) and the live server's thread hold separate connections to it, and a
    poll arriving in the middle of a worker's transaction made one of them fail at once
    with "database table is locked" (there is no busy timeout for shared-cache locks),
    ending the worker's run with deliveries unsent. Production uses separate processes
    and a database with real locking; only the test shares one memory database.
    """
    page.route("**/progress/", lambda route: route.continue_())


def test_a_secretariat_turns_a_meeting_into_a_circular_and_watches_it_sent(
    live_server,
    page,
    smtp_server,
    commission,
    member_city,
    secretariat,
    officer_person,
    colleague,
    durban_person,
):
    secretariat.set_password(PASSWORD)
    secretariat.preferred_language = "fr"
    secretariat.save()
    meeting = make_meeting(commissions=[commission], title="Réunion de Rabat", host=member_city)
    base = live_server.url

    code = second_step_code(secretariat.email)
    page.goto(f"{base}/accounts/login/?next=/meetings/{meeting.pk}/")
    page.fill("#id_username", secretariat.email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    pass_second_step(page, code)
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
        page.get_by_text(f"Une copie de test est en route vers {secretariat.email}")
    ).to_be_visible()
    page.get_by_role("button", name="Approuver").click()
    expect(page.get_by_text("Circulaire approuvée")).to_be_visible()
    page.get_by_role("button", name="Envoyer maintenant").click()
    expect(page.locator("#progress")).to_contain_text("En cours d'envoi")
    expect(page.locator("#progress")).to_contain_text("0 destinataires traités sur 2")

    # The background worker picks up the run (and the test copy) while the page polls.
    _hold_polls_while_the_worker_runs(page)
    call_command("db_worker", batch=True, queue_name="*", interval=0.1, reload=False)

    expect(page.locator("#progress")).to_contain_text(
        "2 destinataires traités sur 2", timeout=15_000
    )
    expect(page.locator("#progress")).to_contain_text("Envoyée")
    recipients = sorted(m["To"].addresses[0].addr_spec for m in smtp_server)
    assert recipients == sorted([secretariat.email, officer_person.email, colleague.email])


@pytest.fixture
def rabat_meeting(transactional_db):
    """The demo's Rabat meeting, with the demo network, logins and actions around it."""
    for app in ("network", "commissions", "accounts", "meetings", "actions"):
        __import__(f"demo.{app}", fromlist=["load_demo"]).load_demo()
    from demo.meetings import find_rabat_meeting

    return find_rabat_meeting()


def log_in(page, base, email, next_url):
    code = second_step_code(email)
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("#id_username", email)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    pass_second_step(page, code)


SPANISH_SUBJECT = "Circular conjunta: lo que decidimos en Rabat"
SPANISH_NOTE = "La secretaría técnica de Durban les envía este resumen revisado."


def test_the_demo_secretariat_edits_the_spanish_version_and_each_recipient_gets_their_language(
    live_server, page, smtp_server, rabat_meeting
):
    base = live_server.url
    secretariat = "secretariat.planning@example.org"

    # The planning secretariat (who reads English) drafts the circular in French, as the seed.
    log_in(page, base, secretariat, f"/meetings/{rabat_meeting.pk}/")
    page.get_by_role("link", name="Draft a circular").click()
    page.select_option("#original_language", "fr")
    page.get_by_role("button", name="Write the draft").click()
    expect(page.get_by_text("Chers collègues, membres et partenaires,")).to_be_visible()
    circular_url = page.url

    # It rewrites the Spanish subject and adds a sentence to the Spanish body.
    page.get_by_role("link", name="Edit", exact=True).click()
    generated = page.locator("#id_body_es").input_value()
    greeting = "Estimados colegas, miembros y socios:"
    assert generated.startswith(greeting)
    page.fill("#id_subject_es", SPANISH_SUBJECT)
    page.fill("#id_body_es", generated.replace(greeting, f"{greeting}\n\n{SPANISH_NOTE}", 1))
    page.click("main button[type=submit]")
    expect(page.get_by_text("Circular saved.")).to_be_visible()
    page.locator("summary", has_text="Spanish").click()
    spanish = page.locator('article[lang="es"]')
    expect(spanish.get_by_role("heading", name=SPANISH_SUBJECT)).to_be_visible()
    expect(spanish.get_by_text(SPANISH_NOTE)).to_be_visible()
    expect(spanish.get_by_role("heading", name="Ciudades intermedias")).to_be_visible()

    # The preview says how many will receive it, and in which language.
    page.get_by_role("link", name="Audience", exact=True).first.click()
    summary = page.locator("#preview-title + p strong").inner_text()
    total = int(re.fullmatch(r"([\d,]+) recipients", summary).group(1).replace(",", ""))
    by_language = {}
    for row in page.locator("section table").first.locator("tbody tr").all():
        name, count, receives = (cell.inner_text() for cell in row.locator("td").all())
        assert receives == name  # every language has its own version
        by_language[name] = int(count.replace(",", ""))
    assert sum(by_language.values()) == total
    assert by_language["Spanish"] > 0 and by_language["French"] > 0
    page.goto(circular_url)

    # A test copy to itself, in Spanish.
    page.select_option("#id_language", "es")
    page.get_by_role("button", name="Send a test").click()
    expect(page.get_by_text(f"A test copy is on its way to {secretariat}")).to_be_visible()

    # A joint circular of two commissions is approved by the World Secretariat, in Spanish.
    expect(page.get_by_text("Waiting for approval")).to_be_visible()
    admin_page = page.context.browser.new_context().new_page()
    log_in(admin_page, base, "admin@example.org", circular_url.removeprefix(base))
    admin_page.get_by_role("button", name="Aprobar").click()
    expect(admin_page.get_by_text("Circular aprobada: ya se puede enviar.")).to_be_visible()
    admin_page.context.close()

    # The secretariat sends it and watches the progress bar.
    page.reload()
    page.get_by_role("button", name="Send now").click()
    expect(page.get_by_text(f"Sending started to {total} recipients.")).to_be_visible()
    progress = page.locator("#progress")
    expect(progress).to_contain_text(f"0 of {total} recipients done")

    # The background worker sends the test copy and the circular while the page polls.
    _hold_polls_while_the_worker_runs(page)
    call_command("db_worker", batch=True, queue_name="*", interval=0.1, reload=False)

    circular = Circular.objects.get(pk=int(circular_url.rstrip("/").rsplit("/", 1)[1]))
    unsent = circular.deliveries.exclude(status="sent").values_list("email", "status", "smtp_reply")
    assert not unsent, list(unsent)
    expect(progress).to_contain_text(f"{total} of {total} recipients done", timeout=15_000)
    expect(progress.locator("progress")).to_have_attribute("value", str(total))
    expect(progress.locator("progress")).to_have_attribute("max", str(total))
    expect(progress).to_contain_text("Sent: ")
    expect(progress.locator("strong")).to_have_text("Sent")

    # (Loading the demo also had the worker send the meeting's invitations: left aside.)
    circulars = [m for m in smtp_server if m["List-Id"]]
    tests = [m for m in circulars if m["Subject"].startswith("[TEST] ")]
    sent = [m for m in circulars if not m["Subject"].startswith("[TEST] ")]

    assert [m.envelope_recipients for m in tests] == [[secretariat]]
    assert tests[0]["Subject"] == f"[TEST] {SPANISH_SUBJECT}"
    assert tests[0]["Content-Language"] == "es"
    assert SPANISH_NOTE in message_text(tests[0])

    # Exactly one message per recipient the preview announced, each in their language.
    received = Counter(r.lower() for m in sent for r in m.envelope_recipients)
    assert len(received) == total and set(received.values()) == {1}
    languages = dict(
        Person.objects.filter(email__in=received).values_list("email", "preferred_language")
    )
    assert len(languages) == total
    subjects = {"en": circular.subject_en, "fr": circular.subject_fr, "es": SPANISH_SUBJECT}
    names = {"en": "English", "fr": "French", "es": "Spanish"}
    got = Counter()
    for message in sent:
        language = languages[message.envelope_recipients[0].lower()]
        assert message["Content-Language"] == language
        assert message["Subject"] == subjects[language]
        assert (SPANISH_NOTE in message_text(message)) == (language == "es")
        got[names[language]] += 1
    assert got == by_language
