"""Every page carries a Content-Security-Policy that allows no inline script or style,
and the templates give it nothing inline to excuse."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/", "/directory/", "/learning/map/", "/library/", "/accounts/login/", "/admin/login/"]
)
def test_every_page_carries_the_security_headers(client, url):
    response = client.get(url, follow=True)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_an_error_page_carries_the_policy_too(client):
    response = client.get("/library/documents/999999/")
    assert response.status_code == 404
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def test_no_page_template_has_inline_script_style_or_event_handler():
    # Mail templates are read by mail programs, not under the site's policy.
    templates = [
        path
        for path in ROOT.glob("*/templates/**/*.html")
        if "/email/" not in path.as_posix() and ".venv" not in path.parts
    ]
    assert len(templates) > 100
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in templates
        for pattern in (INLINE_SCRIPT, INLINE_STYLE)
        for match in pattern.finditer(path.read_text())
    ]
    assert offenders == []
