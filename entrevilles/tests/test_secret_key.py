import os
import subprocess
import sys

from entrevilles.settings import installation_secret_key

from .test_settings import ROOT


def test_each_installation_makes_its_own_secret_key_once_and_keeps_it(tmp_path):
    key = installation_secret_key(tmp_path / "one" / "secret_key")
    assert len(key) >= 50
    assert installation_secret_key(tmp_path / "one" / "secret_key") == key
    assert (tmp_path / "one" / "secret_key").stat().st_mode & 0o077 == 0
    assert installation_secret_key(tmp_path / "two" / "secret_key") != key


def test_production_mode_still_requires_a_configured_secret_key(tmp_path):
    env = dict(os.environ, DJANGO_DEBUG="0", VAR_DIR=str(tmp_path))
    env.pop("SECRET_KEY", None)
    env.pop("DATABASE_URL", None)
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr
    assert not (tmp_path / "secret_key").exists()
