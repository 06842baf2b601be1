"""import_experiences answers every clumsy input with the line and the reason, never a
traceback, and refuses NUL characters with a message."""

import io

import pytest
from django.core.management import CommandError, call_command

from learning.matching.tests.test_import_experiences import _line, _write
from library.models import Experience
from network.tests.factories import make_country, make_region

pytestmark = pytest.mark.django_db


def test_clumsy_lines_are_each_reported_with_their_number_and_nothing_is_saved(tmp_path):
    make_country(code="CO", region=make_region(code="latin-america"))
    lines = [
        _line(),
        b'{"ref": "x:2", "title": "nul\x00byte"}\n',
        _line(ref="x:3", title="escaped \u0000 nul"),
        b'{"ref": "x:4", "title": "\\ud800", "language": "es"}\n',
        b"[" * 100_000 + b"\n",
        b'{"ref": "x:6", "population": ' + b"9" * 5000 + b"}\n",
        _line(ref="x:7", population=2**70),
        _line(ref="x:8", population=True),
        b"\x00\x00\x00\n",
        b"NaN\n",
        _line(ref="x:11", sdgs=[1e400]),
    ]
    err = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_experiences", str(_write(tmp_path, lines)), stderr=err)
    report = err.getvalue()
    assert "Nothing was imported: 10 problems to fix." in str(error.value)
    for expected in [
        "Line 2: the line contains a NUL character, which cannot be stored",
        "Line 3: the line contains a NUL character, which cannot be stored",
        "Line 4: the line contains an invalid character (an unpaired surrogate).",
        "Line 5: not valid JSON (nested too deeply).",
        "Line 6: not valid JSON (",
        "Line 7: the population must be a whole number, 0 or more.",
        "Line 8: the population must be a whole number, 0 or more.",
        "Line 9: the line contains a NUL character",
        "Line 10: a line must be a JSON object.",
        "Line 11: “sdgs” must be a list of numbers from 1 to 17.",
    ]:
        assert expected in report
    assert "Line 1:" not in report
    assert "Traceback" not in report
    assert not Experience.objects.exists()
