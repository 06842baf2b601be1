"""Every interface string is translated into French and Spanish, with nothing fuzzy.

For each app (and the project's own templates), the catalogues are regenerated from the
code in a scratch copy; a string added to the code but not to the catalogue, an empty
translation or a fuzzy one fails the test, naming the file.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE_DIRS = sorted(
    path.parent.name for path in ROOT.glob("*/locale") if path.parent.name not in {".venv"}
)
DJANGO_ADMIN = str(Path(sys.executable).parent / "django-admin")


def _statistics(po_file: Path) -> str:
    result = subprocess.run(  # noqa: S603 - fixed gettext tool on our own files
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"{po_file}: {result.stderr}"
    return result.stderr


@pytest.mark.parametrize("app", CATALOGUE_DIRS)
def test_catalogues_cover_every_string_of_the_code(app, tmp_path):
    source = ROOT / app
    copy = tmp_path / app
    shutil.copytree(
        source, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "tests", "migrations")
    )
    subprocess.run(  # noqa: S603 - Django's own makemessages
        [DJANGO_ADMIN, "makemessages", "-l", "fr", "-l", "es", "--no-location", "-v", "0"],
        cwd=copy,
        env={key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"},
        check=True,
        capture_output=True,
    )
    for language in ("fr", "es"):
        po_file = copy / "locale" / language / "LC_MESSAGES" / "django.po"
        if not po_file.exists():
            continue
        stats = _statistics(po_file)
        assert not re.search(r"\d+ (fuzzy|untranslated)", stats), (
            f"{app}/locale/{language}: {stats.strip()} (run bin/messages and translate)"
        )
