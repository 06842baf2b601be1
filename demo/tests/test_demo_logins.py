"""run_platform (what bin/start runs) shows the demo's logins, which it asks of the demo
app's command by name."""

from demo.world import DEMO_LOGINS, DEMO_PASSWORD
from ops.management.commands.run_platform import demo_logins


def test_the_start_shows_every_demo_login_with_the_shared_password():
    lines = demo_logins()

    assert lines[0] == f"Demo logins (password for all: {DEMO_PASSWORD}):"
    assert len(lines) == 1 + len(DEMO_LOGINS)
    for (email_address, role), line in zip(DEMO_LOGINS, lines[1:], strict=True):
        assert line.split()[0] == email_address and line.endswith(role)
