"""The back office's forms and the main pages pass axe-core's WCAG 2 A and AA rules, in
English, French and Spanish, with nothing loaded from another server.

axe-core comes from the npm registry (a development package in package.json, never
served as a static file); it is read from node_modules and run inside each page.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from accounts.models import User
from accounts.services import set_preferred_language
from circulars.models import Circular, CircularStatus
from commissions.models import Commission
from conftest import pass_second_step, second_step_code
from demo.meetings import find_rabat_meeting
from demo.world import DEMO_PASSWORD
from learning.models import AssessmentCriterion
from library.tests.factories import make_experience
from network.models import Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ADMIN = "admin@example.org"


@pytest.fixture
def demo(transactional_db):
    """The demo network, commissions, logins, Rabat meeting, actions and circulars."""
    for app in ("network", "commissions", "accounts", "meetings", "actions", "circulars"):
        __import__(f"demo.{app}", fromlist=["load_demo"]).load_demo()
    # Reference lists the migrations fill are emptied by earlier tests of this kind.
    if not AssessmentCriterion.objects.exists():
        AssessmentCriterion.objects.create(name_en="Mutual learning", position=1)
    rabat = Organisation.objects.get(external_ref="demo:rabat")
    return {
        "commission": Commission.objects.get(slug="strategic-urban-planning"),
        "rabat": rabat,
        "meeting": find_rabat_meeting(),
        "circular": Circular.objects.get(status=CircularStatus.DRAFT),
        "experience": make_experience(rabat, title="Tramway"),
        "admin": User.objects.get(email=ADMIN),
    }


def _violations(page) -> list[str]:
    """axe-core's WCAG 2 A/AA violations on the page, one line per element."""
    # Django's admin builds some widgets in jQuery's ready callbacks, which may run after
    # the load event Playwright waited for: a callback queued now runs after them.
    page.evaluate(
        "() => new Promise(done => window.django && django.jQuery"
        " ? django.jQuery(() => setTimeout(done)) : done())"
    )
    # Evaluated from the test's side, so that the page's Content-Security-Policy (no
    # inline script) stays in force for everything else.
    page.evaluate("() => {" + AXE.read_text(encoding="utf-8") + "\n}")
    found = page.evaluate(
        "rules => axe.run(document, {runOnly: {type: 'tag', values: rules}})"
        ".then(result => result.violations)",
        RULES,
    )
    return [
        f"{violation['id']} ({violation['help']}): {node['target']} {node['html'][:200]}"
        for violation in found
        for node in violation["nodes"]
    ]


def _check(page, base: str, admin: User, paths: list[str]) -> None:
    """Opens every path in each language and collects what axe-core finds."""
    outside: list[str] = []
    page.on(
        "request",
        lambda request: None if request.url.startswith(base) else outside.append(request.url),
    )
    problems: list[str] = []
    for language in ("en", "fr", "es"):
        # The pages follow the preferred language of the person signed in.
        set_preferred_language(User.objects.get(pk=admin.pk), language, actor=None)
        for path in paths:
            response = page.goto(f"{base}{path}")
            assert response.status == 200, f"{path}: {response.status}"
            assert page.locator("html").get_attribute("lang") == language, path
            problems += [f"[{language}] {path}: {line}" for line in _violations(page)]
    assert not problems, "axe-core found:\n" + "\n".join(problems)
    assert outside == []


def _log_in(page, base: str, login_path: str, submit: str) -> None:
    code = second_step_code(ADMIN)  # an administrator signs in with a second factor
    page.set_default_timeout(60_000)
    page.goto(f"{base}{login_path}")
    # The login page itself, before anyone is signed in.
    assert _violations(page) == []
    page.fill("#id_username", ADMIN)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click(submit)
    pass_second_step(page, code)


def test_the_back_office_forms_pass_axe_in_three_languages(live_server, page, demo):
    _log_in(page, live_server.url, reverse("admin:login"), "input[type=submit]")

    def admin(name, *args):
        return reverse(f"admin:{name}", args=args)

    _check(
        page,
        live_server.url,
        demo["admin"],
        [
            admin("index"),
            admin("commissions_commission_changelist"),
            # Language tabs, presidencies and secretariats in rows, date shortcuts.
            admin("commissions_commission_change", demo["commission"].pk),
            admin("commissions_commission_add"),
            admin("network_organisation_change", demo["rabat"].pk),
            # An empty autocomplete box (the country).
            admin("network_organisation_add"),
            admin("meetings_meeting_change", demo["meeting"].pk),
            admin("library_experience_change", demo["experience"].pk),
            # Roles in rows under the person.
            admin("accounts_user_change", demo["admin"].pk),
            # A list whose rows are edited in place.
            admin("learning_assessmentcriterion_changelist"),
            # Two-list choices with their help icons.
            admin("auth_group_add"),
        ],
    )


def test_the_main_pages_and_the_personal_page_pass_axe_in_three_languages(live_server, page, demo):
    _log_in(page, live_server.url, reverse("accounts:login"), "main button[type=submit]")
    _check(
        page,
        live_server.url,
        demo["admin"],
        [
            "/",
            reverse("start"),
            "/directory/",
            f"/directory/organisations/{demo['rabat'].pk}/",
            f"/commissions/{demo['commission'].slug}/",
            f"/commissions/{demo['commission'].slug}/edit/",
            "/meetings/",
            f"/meetings/{demo['meeting'].pk}/",
            f"/circulars/{demo['circular'].pk}/edit/",
            f"/library/experiences/{demo['experience'].pk}/",
        ],
    )


def test_axe_core_is_never_served_to_the_public(client):
    assert finders.find("axe.min.js") is None
    assert finders.find("axe-core/axe.min.js") is None
    assert client.get("/static/axe-core/axe.min.js").status_code == 404
