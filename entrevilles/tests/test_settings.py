import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_production_settings_pass_the_deployment_check_with_no_warning(tmp_path):
    env = dict(
        os.environ,
        DJANGO_DEBUG="0",
        SECRET_KEY="x9!" + "k" * 60 + "production-grade-secret-key-for-the-check",
        ALLOWED_HOSTS="entrevilles.example.org",
        VAR_DIR=str(tmp_path),
    )
    env.pop("DATABASE_URL", None)
    # bin/test allows async-unsafe calls for the browser tests; production never does.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
