"""The import_experiences and match_need command-line contract."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from library.models import Experience
from network.models import Organisation
from network.tests.factories import make_city, make_country, make_region

pytestmark = pytest.mark.django_db


def _line(**fields) -> dict:
    line = {
        "ref": "x:1",
        "language": "es",
        "city": "Medellín",
        "country": "CO",
        "population": 2_500_000,
        "title": "Metrocable para los barrios de ladera",
        "summary": "Transporte público por cable hacia los asentamientos informales.",
        "sdgs": [11],
        "themes": ["mobility"],
    }
    line.update(fields)
    return line


def _write(tmp_path, lines, name="in.jsonl") -> Path:
    path = tmp_path / name
    with path.open("wb") as out:
        for line in lines:
            out.write(line if isinstance(line, bytes) else json.dumps(line).encode() + b"\n")
    return path


def _import(path):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_experiences", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_good_file_creates_published_experiences_in_their_language(tmp_path):
    make_country(code="CO", region=make_region(code="latin-america"))
    make_country(code="SN", region=make_region(code="africa"))
    existing = make_city("Saint-Louis", country="SN")
    path = _write(
        tmp_path,
        [
            _line(),
            _line(ref="x:2", language="fr", city="SAINT-LOUIS", country="sn",
                  title="Gestion des déchets", summary="Tri et recyclage.", sdgs=None,
                  themes=None, population=None),
        ],
    )  # fmt: skip

    out, _err = _import(path)

    assert "2 experiences created and 0 updated, all published; 1 cities" in out
    medellin = Experience.objects.get(external_ref="x:1")
    assert medellin.status == "published" and medellin.published_at is not None
    assert medellin.original_language == "es"
    assert medellin.title_es == "Metrocable para los barrios de ladera"
    assert not medellin.title_en
    assert [t.key for t in medellin.themes.all()] == ["mobility"]
    assert [s.number for s in medellin.sdgs.all()] == [11]
    city = medellin.city
    assert (city.name, city.country.code, city.population, city.size_class) == (
        "Medellín", "CO", 2_500_000, "metropolis"
    )  # fmt: skip
    assert Experience.objects.get(external_ref="x:2").city == existing
    assert medellin.match_concepts.filter(concept="informal-settlement").exists()


def test_the_same_ref_again_updates_the_experience(tmp_path):
    make_country(code="CO", region=make_region(code="latin-america"))
    _import(_write(tmp_path, [_line()]))
    out, _err = _import(
        _write(tmp_path, [_line(title="Metrocable, segunda fase", city="medellin")], "b.jsonl")
    )
    assert "0 experiences created and 1 updated" in out
    assert Experience.objects.get().title_es == "Metrocable, segunda fase"
    assert Organisation.objects.filter(search_name="medellin").count() == 1


def test_every_bad_line_is_reported_with_its_number_and_nothing_is_saved(tmp_path):
    make_country(code="CO", region=make_region(code="latin-america"))
    lines = [
        _line(),
        _line(ref="x:2", language="de"),
        {"ref": "x:3", "language": "es", "city": "Cali", "country": "CO", "title": "T"},
        _line(ref="x:4", population="many"),
        _line(),
        b"\xff\xfe not utf-8\n",
        b"{not json\n",
        _line(ref="x:8", country="ZZ", sdgs=[18], themes=["nonsense"]),
        _line(ref="x:9", title=""),
        _line(ref="x:10", colour="red"),
    ]
    with pytest.raises(CommandError) as error:
        out, err = io.StringIO(), io.StringIO()
        call_command("import_experiences", str(_write(tmp_path, lines)), stdout=out, stderr=err)
    report = err.getvalue()
    assert "Nothing was imported" in str(error.value)
    for expected in [
        "Line 2: unknown language “de”",
        "Line 3: the field “summary” is missing.",
        "Line 4: the population must be a whole number",
        "Line 5: the ref “x:1” is already on line 1.",
        "Line 6: the line is not valid UTF-8.",
        "Line 7: not valid JSON",
        "Line 8: unknown country code “ZZ”",
        "Line 8: “sdgs” must be a list of numbers from 1 to 17.",
        "Line 8: unknown themes: nonsense.",
        "Line 9: the field “title” is empty.",
        "Line 10: unknown fields: colour.",
    ]:
        assert expected in report
    assert "Line 1:" not in report
    assert not Experience.objects.exists()
    assert not Organisation.objects.filter(name="Medellín").exists()


def test_an_empty_file_and_a_missing_file_are_refused(tmp_path):
    with pytest.raises(CommandError):
        _import(_write(tmp_path, [b"\n"]))
    with pytest.raises(CommandError, match="Cannot read"):
        _import(tmp_path / "missing.jsonl")


def _match(*args) -> list:
    out = io.StringIO()
    call_command("match_need", *args, stdout=out)
    return json.loads(out.getvalue())


def test_match_need_prints_the_best_experiences_as_json(tmp_path):
    make_country(code="CO", region=make_region(code="latin-america"))
    make_country(code="SN", region=make_region(code="africa"))
    _import(_write(tmp_path, [_line(), _line(ref="x:2", title="Presupuesto participativo",
                                              summary="Participación ciudadana.", themes=[])]))  # fmt: skip
    make_city("Dakar", country="SN")

    found = _match(
        "--text", "Un téléphérique pour desservir les bidonvilles",
        "--language", "fr", "--country", "SN", "--population", "3000000", "--top", "5", "--json",
    )  # fmt: skip

    assert [item["ref"] for item in found] == ["x:1"]
    (item,) = found
    assert set(item) == {"ref", "title", "city", "score", "reasons"}
    assert item["title"] == "Metrocable para los barrios de ladera"
    assert item["city"] == "Medellín"
    assert isinstance(item["score"], float) and item["score"] > 0
    assert all(isinstance(reason, str) for reason in item["reasons"])


def test_match_need_gives_a_stable_ref_to_experiences_without_one():
    from learning.matching.tests.factories import make_experience

    experience = make_experience(make_city(country="MA"), title="Waste recycling")
    found = _match("--text", "recycling", "--language", "en", "--json")
    assert found[0]["ref"] == f"experience:{experience.pk}"


@pytest.mark.parametrize(
    "args",
    [
        ["--text", "  ", "--language", "en"],
        ["--text", "x" * 50_001, "--language", "en"],
        ["--text", "water", "--language", "en", "--country", "ZZ"],
        ["--text", "water", "--language", "en", "--top", "0"],
        ["--text", "water", "--language", "en", "--population", "-1"],
    ],
)
def test_match_need_refuses_bad_input_with_a_message(args):
    with pytest.raises(CommandError):
        call_command("match_need", *args, "--json", stdout=io.StringIO())


def test_match_need_refuses_an_unknown_language():
    with pytest.raises(CommandError):
        call_command("match_need", "--text", "water", "--language", "de", stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_the_commands_honour_a_sqlite_database_url(tmp_path):
    database = tmp_path / "other.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]

    def run(*args):
        return subprocess.run(
            [*manage, *args], env=env, capture_output=True, text=True, timeout=600, check=False
        )

    assert run("migrate", "-v0").returncode == 0
    imported = run("import_experiences", str(_write(tmp_path, [_line()])))
    assert imported.returncode == 0, imported.stderr
    matched = run("match_need", "--text", "asentamientos informales", "--language", "es",
                  "--json")  # fmt: skip
    assert [item["ref"] for item in json.loads(matched.stdout)] == ["x:1"]
    bad = run("import_experiences", str(_write(tmp_path, [_line(ref="")], "bad.jsonl")))
    assert bad.returncode != 0
    assert "Line 1: the field “ref” is empty." in bad.stderr
    assert not Experience.objects.filter(external_ref="x:1").exists()  # not the test database
