"""Every CSV export goes through one writer that neutralises spreadsheet formulas."""

import csv
import io

import pytest
from django.urls import reverse

from actions.tests.factories import make_action, make_workstream
from entrevilles.csv_export import csv_writer, neutralise
from library.tests.factories import make_city, make_commission


@pytest.mark.parametrize(
    "cell",
    ['=HYPERLINK("http://evil.example","Click")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"],
)
def test_a_cell_a_spreadsheet_would_evaluate_is_written_as_text(cell):
    out = io.StringIO()
    csv_writer(out).writerow([cell])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["'" + cell]


@pytest.mark.parametrize("cell", ["-29.86", "+1", "12", "Rabat", "", 42, -3.5, None])
def test_numbers_and_plain_text_are_left_as_they_are(cell):
    assert neutralise(cell) == cell


@pytest.mark.django_db
def test_the_actions_export_neutralises_a_formula_in_a_title(client):
    workstream = make_workstream(commissions=[make_commission()])
    make_action(workstream=workstream, title='=HYPERLINK("http://evil.example","Click")')
    response = client.get(reverse("actions:export"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][2] == '\'=HYPERLINK("http://evil.example","Click")'


@pytest.mark.django_db
def test_the_directory_export_neutralises_a_formula_and_keeps_coordinates(client, city_officer):
    make_city("@SUM(1+1)", latitude=-29.86, longitude=31.03)
    client.force_login(city_officer)
    response = client.get(reverse("network:export"))
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    row = next(r for r in rows if "SUM" in r["name"])
    assert row["name"] == "'@SUM(1+1)"
    assert row["latitude"] == "-29.86"


@pytest.mark.django_db
def test_a_neutralised_name_imports_back_as_it_was(client, city_officer):
    from network.models import Organisation
    from network.services import import_organisations_csv

    city = make_city("@Home", latitude=-29.86, longitude=31.03)
    client.force_login(city_officer)
    exported = b"".join(client.get(reverse("network:export")).streaming_content)
    Organisation.objects.filter(pk=city.pk).update(name="Renamed", name_en="Renamed")
    result = import_organisations_csv(io.BytesIO(exported), actor=None)
    assert result.ok, result.errors
    city.refresh_from_db()
    assert city.name == "@Home"
