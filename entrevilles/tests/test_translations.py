"""Every interface string is translated into French and Spanish, with nothing fuzzy.

For each app (and the project's own templates), the catalogues are regenerated from the
code in a scratch copy; a string added to the code but not to the catalogue, an empty
translation or a fuzzy one fails the test, naming the file.
"""

import gettext
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


def _translations(po_file: Path, tmp_path: Path) -> list[str]:
    """Every translated text of a catalogue (plural forms included), read as Django reads
    them: compiled with msgfmt."""
    compiled = tmp_path / "catalogue.mo"
    subprocess.run(  # noqa: S603 - fixed gettext tool on our own files
        ["msgfmt", "-o", str(compiled), str(po_file)], check=True, capture_output=True
    )
    with compiled.open("rb") as stream:
        catalogue = gettext.GNUTranslations(stream)._catalog
    return [text for key, text in catalogue.items() if key != ""]


def _placeholders_out(text: str) -> str:
    # Placeholders, markup and addresses hold punctuation of their own ("?lang=", "a:b").
    return re.sub(r"%\(\w+\)[sd]|<[^>]+>|\{\{[^}]*\}\}|https?://\S+", "X", text)


@pytest.mark.parametrize(
    "po_file", sorted(ROOT.glob("*/locale/fr/LC_MESSAGES/*.po")), ids=lambda path: path.parts[-4]
)
def test_french_puts_a_no_break_space_before_high_punctuation_and_inside_guillemets(
    po_file, tmp_path
):
    wrong = [
        text
        for text in _translations(po_file, tmp_path)
        if re.search(
            r"[^\s\u00a0\u202f][;!?»]|[ ][:;!?»]|«[^\u00a0\u202f]|\w:\s", _placeholders_out(text)
        )
    ]
    assert wrong == [], "French wants a no-break space (U+00A0) before : ; ! ? and inside « »"


@pytest.mark.parametrize(
    "po_file", sorted(ROOT.glob("*/locale/es/LC_MESSAGES/*.po")), ids=lambda path: path.parts[-4]
)
def test_spanish_opens_questions_and_exclamations(po_file, tmp_path):
    wrong = []
    for text in _translations(po_file, tmp_path):
        for sentence in re.split(r"(?<=[.!?])\s+", _placeholders_out(text)):
            if (sentence.endswith("?") and "¿" not in sentence) or (
                sentence.endswith("!") and "¡" not in sentence
            ):
                wrong.append(text)
    assert wrong == [], "Spanish opens a question with ¿ and an exclamation with ¡"
