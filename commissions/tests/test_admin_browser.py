"""The back office's language tabs work with nothing but the platform's own server."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Role
from accounts.tests.factories import grant, make_user
from conftest import pass_second_step, second_step_code

from .factories import make_commission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def test_the_commission_edit_page_shows_language_tabs_with_no_outside_server(live_server, page):
    commission = make_commission(name_en="Strategic Urban Planning")
    admin = grant(make_user(email="admin@example.org"), Role.NETWORK_ADMIN)
    admin.is_staff = True
    admin.set_password(PASSWORD)
    admin.save()
    outside: list[str] = []

    def only_the_platform(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    code = second_step_code(admin.email)  # an administrator signs in with a second factor
    page.route("**/*", only_the_platform)
    page.set_default_timeout(60_000)
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.fill("#id_username", admin.email)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    pass_second_step(page, code)
    page.goto(
        f"{live_server.url}{reverse('admin:commissions_commission_change', args=[commission.pk])}"
    )
    tabs = page.locator(".ui-tabs-nav").first
    expect(tabs).to_be_visible()
    expect(tabs.get_by_role("tab")).to_have_count(3)
    # Only the tab of one language shows its field at a time.
    expect(page.locator("#id_name_en")).to_be_visible()
    expect(page.locator("#id_name_fr")).to_be_hidden()
    tabs.get_by_role("tab").nth(1).click()
    expect(page.locator("#id_name_fr")).to_be_visible()
    assert outside == []
