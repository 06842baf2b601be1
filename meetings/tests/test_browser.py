"""One journey in a real browser, in each language: from a joint meeting to an action's
progress. The users read the platform in their own language and see it in every step."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from actions.tests.factories import make_workstream
from conftest import pass_second_step, second_step_code

from .factories import grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"

# What each step shows, as the catalogues of meetings and actions translate it.
TEXTS = {
    "en": {
        "created": "The meeting is created.",
        "invite": "Invite organisations or people",
        "send": "Send the invitations",
        "invited": "1 invitation sent by e-mail.",
        "register": "Register",
        "registered": "Amina Officer is registered.",
        "save_attendance": "Save the attendance",
        "present": "1 marked present",
        "record": "Record the decision",
        "recorded": "Decision 1 is recorded.",
        "turn": "Turn into an action",
        "action_created": "The action is created.",
        "log_out": "Log out",
        "post": "Post",
        "posted": "Your update is posted.",
        "action_plan": "Action plan",
        "decision": "Finalise the Framework Document",
    },
    "fr": {
        "created": "La réunion est créée.",
        "invite": "Inviter des organisations ou des personnes",
        "send": "Envoyer les invitations",
        "invited": "1 invitation envoyée par courriel.",
        "register": "Inscrire",
        "registered": "Amina Officer est inscrit·e.",
        "save_attendance": "Enregistrer les présences",
        "present": "1 marqué·es présent·es",
        "record": "Enregistrer la décision",
        "recorded": "La décision 1 est enregistrée.",
        "turn": "Transformer en action",
        "action_created": "L'action est créée.",
        "log_out": "Déconnexion",
        "post": "Publier",
        "posted": "Votre mise à jour est publiée.",
        "action_plan": "Plan d’action",
        "decision": "Finaliser le document-cadre",
    },
    "es": {
        "created": "La reunión está creada.",
        "invite": "Invitar organizaciones o personas",
        "send": "Enviar las invitaciones",
        "invited": "1 invitación enviada por correo electrónico.",
        "register": "Inscribir",
        "registered": "Amina Officer está inscrito/a.",
        "save_attendance": "Guardar la asistencia",
        "present": "1 marcados presentes",
        "record": "Registrar la decisión",
        "recorded": "La decisión 1 está registrada.",
        "turn": "Convertir en acción",
        "action_created": "La acción está creada.",
        "log_out": "Cerrar sesión",
        "post": "Publicar",
        "posted": "Su actualización está publicada.",
        "action_plan": "Plan de acción",
        "decision": "Finalizar el documento marco",
    },
}


def _log_in(page, base, user, next_url):
    code = second_step_code(user.email)
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    pass_second_step(page, code)


@pytest.fixture
def durban(durban):
    """Durban, invited below, with an address to write to."""
    durban.email = "info@durban.example.org"
    durban.save()
    return durban


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_a_secretariat_runs_a_joint_meeting_and_an_owner_reports_progress(
    live_server, page, language, commission, digital, durban, secretariat, city_officer
):
    text = TEXTS[language]
    # The machines running the suite are shared: allow slow pages rather than flake.
    page.set_default_timeout(90_000)
    page.set_default_navigation_timeout(90_000)
    expect.set_options(timeout=30_000)
    grant(secretariat, Role.SECRETARIAT, commission=digital)
    for user in (secretariat, city_officer):
        user.set_password(PASSWORD)
        user.preferred_language = language
        user.save()
    workstream = make_workstream(commissions=[commission, digital])
    base = live_server.url

    _log_in(page, base, secretariat, "/meetings/new/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.get_by_label("Planning").check()
    page.get_by_label("Digital").check()
    page.fill(f"#id_title_{language}", "Rabat 2030")
    page.fill("#id_time_zone", "Africa/Casablanca")
    page.fill("#id_starts_at", "2030-10-01T09:00")
    page.fill("#id_ends_at", "2030-10-01T18:00")
    page.select_option("#id_host", label="Rabat")
    page.click("main button[type=submit]")
    expect(page.get_by_text(text["created"])).to_be_visible()
    expect(page.locator("h1")).to_have_text("Rabat 2030")
    meeting_url = page.url.replace("manage/", "")

    # Invite an organisation found by typing part of its name.
    page.get_by_role("button", name=text["invite"]).click()
    page.fill("#organisations-q", "durb")
    page.get_by_label("Durban").check()
    page.get_by_role("button", name=text["send"]).click()
    expect(page.get_by_text(text["invited"])).to_be_visible()
    expect(page.locator("#invitations-heading + p")).not_to_contain_text("0")

    page.goto(meeting_url)
    page.select_option("#register-person", label="Amina Officer")
    page.get_by_role("button", name=text["register"], exact=True).click()
    expect(page.get_by_text(text["registered"])).to_be_visible()

    page.goto(meeting_url + "attendance/")
    page.get_by_label("Amina Officer").check()
    page.get_by_role("button", name=text["save_attendance"]).click()
    expect(page.get_by_text(text["present"])).to_be_visible()

    page.goto(meeting_url + "manage/")
    page.fill(f"#id_decision-text_{language}", text["decision"])
    page.get_by_role("button", name=text["record"]).click()
    expect(page.get_by_text(text["recorded"])).to_be_visible()
    page.get_by_role("link", name=text["turn"]).click()
    page.select_option("#id_workstream", value=str(workstream.pk))
    page.select_option("#id_owner_organisations", label="Rabat")
    page.fill("#id_due_date", "2030-12-31")
    page.click("main button[type=submit]")
    expect(page.get_by_text(text["action_created"])).to_be_visible()
    action_url = page.url

    page.click(f"header button:has-text('{text['log_out']}')")
    _log_in(page, base, city_officer, action_url.replace(base, ""))
    page.fill("#id_text", "2")
    page.fill("#id_progress", "60")
    page.get_by_role("button", name=text["post"], exact=True).click()
    expect(page.get_by_text(text["posted"])).to_be_visible()

    page.goto(f"{base}/actions/")
    expect(page.locator("h1")).to_have_text(text["action_plan"])
    row = page.locator("tr", has_text=text["decision"])
    expect(row).to_contain_text("60")
