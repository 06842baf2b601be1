import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AuditEntry
from network import services
from network.csv_format import COLUMNS
from network.models import Organisation, OrganisationImport

from .factories import make_country, make_network_admin, make_organisation, make_region, make_user

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)


def csv_bytes(*rows: str, header: str = HEADER) -> io.BytesIO:
    return io.BytesIO(("\n".join([header, *rows]) + "\n").encode())


@pytest.fixture
def countries():
    africa = make_region(code="africa")
    return {
        "MA": make_country(code="MA", name_en="Morocco", region=africa),
        "ES": make_country(code="ES", name_en="Spain"),
    }


GOOD = [
    "crm:1,Rabat,Rabat,Rabat,local_government,MA,577827,34.02,-6.84,fr;en,member,https://rabat.example.org,contact@rabat.example.org",
    "crm:2,Bilbao,Bilbao,Bilbao,local_government,es,345821,43.26,-2.93,es,member,,",
    "crm:3,Basque Municipalities,Association des communes basques,,association,ES,,,,,candidate,,",
]


def import_(fileobj, actor=None):
    return services.import_organisations_csv(fileobj, actor=actor)


def messages_of(result) -> list[str]:
    return [str(error) for error in result.errors]


def test_a_good_file_creates_every_organisation_with_derived_fields(countries):
    admin = make_network_admin()
    result = import_(csv_bytes(*GOOD), actor=admin)
    assert result.ok, messages_of(result)
    assert (result.created, result.updated) == (3, 0)
    rabat = Organisation.objects.get(external_ref="crm:1")
    assert rabat.region.code == "africa"
    assert rabat.size_class == "intermediary"
    assert rabat.working_languages == ["fr", "en"]
    assert rabat.search_name == "rabat"
    assert Organisation.objects.get(external_ref="crm:3").membership_status == "candidate"
    entry = AuditEntry.objects.get(action="network.organisation.imported")
    assert entry.actor == admin
    assert entry.after["created"] == 3


def test_importing_the_same_refs_again_updates_them(countries):
    import_(csv_bytes(*GOOD))
    result = import_(csv_bytes(GOOD[0].replace("577827", "600000"), GOOD[1]))
    assert result.ok, messages_of(result)
    assert (result.created, result.updated) == (0, 2)
    rabat = Organisation.objects.get(external_ref="crm:1")
    assert rabat.population == 600_000
    assert Organisation.objects.count() == 3


def test_the_search_index_follows_imports_and_updates(client, countries):
    import_(csv_bytes(*GOOD))
    assert "Bilbao" in client.get("/directory/", {"q": "bilb"}).content.decode()
    import_(csv_bytes(GOOD[1].replace(",Bilbao,Bilbao,Bilbao,", ",Bilbo,Bilbo,Bilbo,")))
    assert "Bilbo" in client.get("/directory/", {"q": "bilb"}).content.decode()
    assert "No organisation matches" in client.get("/directory/", {"q": "bilbao"}).content.decode()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("x:1,Nowhere,,,local_government,ZZ,,,,,member,,", "Unknown country code “ZZ”"),
        ("x:1,Nowhere,,,castle,MA,,,,,member,,", "Unknown kind “castle”"),
        ("x:1,Nowhere,,,local_government,MA,-5,,,,member,,", "The population cannot be negative."),
        (
            "x:1,Nowhere,,,local_government,MA,many,,,,member,,",
            "The population must be a whole number",
        ),
        ("x:1,Nowhere,,,local_government,MA,,95,,,member,,", "latitude must be between -90 and 90"),
        ("x:1,Nowhere,,,local_government,MA,,,east,,member,,", "longitude must be a number"),
        ("x:1,Nowhere,,,local_government,MA,,,,de,member,,", "Unknown working language(s) de"),
        ("x:1,Nowhere,,,local_government,MA,,,,,vip,,", "Unknown membership status “vip”"),
        (
            "x:1,Nowhere,,,local_government,MA,,,,,member,not a url,",
            "website “not a url” is not valid.",
        ),
        (
            "x:1,Nowhere,,,local_government,MA,,,,,member,,not-an-email",
            "email “not-an-email” is not valid.",
        ),
        ("x:1,,,,local_government,MA,,,,,member,,", "name is empty."),
        (
            f"x:1,{'N' * 201},,,local_government,MA,,,,,member,,",
            "name is longer than 200 characters.",
        ),
        (
            f"{'r' * 101},Nowhere,,,local_government,MA,,,,,member,,",
            "ref is longer than 100 characters.",
        ),
        ("x:1,Nowhere,,,local_government,MA,,,,,member", "Expected 13 columns, found 11."),
        (
            "entrevilles:999999,Nowhere,,,local_government,MA,,,,,member,,",
            "No organisation has the reference",
        ),
    ],
)
def test_each_bad_row_is_reported_with_its_line_and_nothing_is_saved(countries, row, message):
    result = import_(csv_bytes(GOOD[0], row, GOOD[1]))
    assert not result.ok
    assert any(text.startswith("Line 3: ") and message in text for text in messages_of(result)), (
        messages_of(result)
    )
    assert not Organisation.objects.exists()
    assert not AuditEntry.objects.exists()


def test_every_bad_row_is_reported_not_just_the_first(countries):
    result = import_(
        csv_bytes(
            "a,One,,,castle,MA,,,,,member,,",
            GOOD[0],
            "b,Two,,,local_government,ZZ,,,,,member,,",
            "c,Three,,,local_government,MA,-1,,,,member,,",
        )
    )
    assert [error.line for error in result.errors] == [2, 4, 5]
    assert not Organisation.objects.exists()


def test_duplicates_within_the_file_are_reported(countries):
    result = import_(
        csv_bytes(
            GOOD[0],
            GOOD[0].replace("crm:1", "crm:9"),
            GOOD[1],
            GOOD[1].replace("Bilbao,Bilbao,Bilbao", "Getxo,Getxo,Getxo"),
        )
    )
    messages = messages_of(result)
    assert "Line 3: Same name, kind and country as line 2." in messages
    assert "Line 5: The reference “crm:2” already appears on line 4." in messages
    assert not Organisation.objects.exists()


def test_an_organisation_already_in_the_directory_is_a_duplicate(countries):
    make_organisation(name="Rabat", country=countries["MA"])
    result = import_(csv_bytes(*GOOD))
    assert messages_of(result) == [
        "Line 2: Rabat (Local government, Morocco) is already in the directory."
    ]
    assert Organisation.objects.count() == 1


def test_a_file_not_in_utf8_is_refused_with_a_clear_message(countries):
    content = (HEADER + "\ncrm:1,Bogotá,,,local_government,MA,,,,,member,,\n").encode("latin-1")
    result = import_(io.BytesIO(content))
    assert messages_of(result) == [
        "Line 2: The file is not in UTF-8. Save it as “CSV UTF-8” from your spreadsheet and import it again."
    ]


def test_a_utf8_file_with_a_byte_order_mark_is_accepted(countries):
    content = ("\ufeff" + HEADER + "\n" + GOOD[0] + "\n").encode()
    assert import_(io.BytesIO(content)).ok


def test_malformed_csv_is_reported(countries):
    result = import_(csv_bytes(GOOD[0], 'crm:5,"Unclosed,,,local_government,MA,,,,,member,,'))
    assert not result.ok
    assert "The file is not valid CSV" in messages_of(result)[0]
    assert not Organisation.objects.exists()


def test_a_wrong_header_or_an_empty_file_is_refused(countries):
    result = import_(csv_bytes(GOOD[0], header="ref,name,country"))
    assert messages_of(result)[0].startswith(
        "Line 1: The first row must name exactly these columns"
    )
    assert messages_of(import_(io.BytesIO(b""))) == ["Line 1: The file is empty."]
    assert messages_of(import_(csv_bytes())) == ["Line 2: The file has no organisation rows."]


def test_errors_are_translated(countries):
    from django.utils import translation

    with translation.override("fr"):
        result = import_(csv_bytes("x,Nulle part,,,local_government,ZZ,,,,,member,,"))
        assert messages_of(result)[0].startswith("Ligne 2")


def test_export_round_trips_through_import(client, countries):
    import_(csv_bytes(*GOOD))
    make_organisation(name="=SUM(A1)", country=countries["ES"])
    client.force_login(make_network_admin())
    response = client.get("/directory/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == COLUMNS
    assert len(rows) == 5
    assert [
        "crm:1",
        "Rabat",
        "Rabat",
        "Rabat",
        "local_government",
        "MA",
        "577827",
        "34.02",
        "-6.84",
        "fr;en",
        "member",
        "https://rabat.example.org",
        "contact@rabat.example.org",
    ] in rows
    assert any(row[1] == "'=SUM(A1)" and row[0].startswith("entrevilles:") for row in rows)
    result = import_(io.BytesIO(content))
    assert result.ok, messages_of(result)
    assert (result.created, result.updated) == (0, 4)
    assert Organisation.objects.filter(name_en="=SUM(A1)").count() == 1


def test_export_selects_what_the_directory_filters_select(client, countries):
    import_(csv_bytes(*GOOD))
    client.force_login(make_network_admin())
    content = b"".join(
        client.get(
            "/directory/export.csv", {"country": "ES", "kind": "association"}
        ).streaming_content
    )
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["crm:3"]
    assert client.get("/directory/export.csv", {"country": "ZZ"}).status_code == 400


def test_export_is_for_members_only(client, countries):
    assert client.get("/directory/export.csv").status_code == 302
    client.force_login(make_user())
    assert client.get("/directory/export.csv").status_code == 403


def test_the_import_page_hands_the_file_to_the_worker_and_shows_errors_or_the_summary(
    client, countries, django_capture_on_commit_callbacks
):
    client.force_login(make_network_admin())
    upload = csv_bytes(GOOD[0], "x,Nowhere,,,local_government,ZZ,,,,,member,,")
    upload.name = "orgs.csv"
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post("/directory/import/", {"file": upload})
    assert response.status_code == 302
    # Nothing happens inside the request: the page waits for the worker.
    waiting = client.get(response.url)
    assert "Waiting for the background worker" in waiting.content.decode()
    assert len(queued) == 1
    job = OrganisationImport.objects.get()
    assert services.run_organisation_import(job.pk) == "failed"
    html = client.get(response.url).content.decode()
    assert "Nothing was imported: 1 problem to fix." in html
    assert "Line 3: Unknown country code" in html

    upload = csv_bytes(*GOOD)
    upload.name = "orgs.csv"
    response = client.post("/directory/import/", {"file": upload})
    job = OrganisationImport.objects.order_by("-pk").first()
    assert services.run_organisation_import(job.pk) == "done"
    # Running the same import again changes nothing.
    assert services.run_organisation_import(job.pk) == "done"
    assert Organisation.objects.count() == 3
    assert "3 organisations created, 0 updated." in client.get(response.url).content.decode()


def test_import_problems_are_written_in_the_uploaders_language(client, countries):
    admin = make_network_admin()
    admin.preferred_language = "fr"
    admin.save()
    client.force_login(admin)
    upload = csv_bytes(GOOD[0], "x,Nowhere,,,local_government,ZZ,,,,,member,,")
    upload.name = "orgs.csv"
    client.post("/directory/import/", {"file": upload})
    job = OrganisationImport.objects.get()
    assert job.language == "fr"
    services.run_organisation_import(job.pk)
    job.refresh_from_db()
    assert job.summary.startswith("Rien n")


@pytest.mark.parametrize("logged_in", [True, False])
def test_the_import_page_refuses_everyone_but_administrators(client, countries, logged_in):
    if logged_in:
        client.force_login(make_user())
    upload = csv_bytes(*GOOD)
    upload.name = "orgs.csv"
    assert client.post("/directory/import/", {"file": upload}).status_code == 403
    assert not Organisation.objects.exists()


def test_the_command_prints_the_summary_or_fails_with_the_errors(countries, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(*GOOD).getvalue())
    call_command("import_organisations", str(good))
    assert "3 organisations created, 0 updated." in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes("x,Nowhere,,,local_government,ZZ,,,,,member,,").getvalue())
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_organisations", str(bad))
    assert "Line 2: Unknown country code" in capsys.readouterr().err


def test_the_export_link_follows_the_filters_of_the_list_redrawn_on_screen(client, countries):
    import re
    from html import unescape

    import_(csv_bytes(*GOOD))
    make_organisation(name="Málaga", country=countries["ES"])
    client.force_login(make_network_admin())
    # The filter form redraws the list alone (htmx), without reloading the page.
    html = client.get(
        "/directory/", {"region": "europe", "kind": "local_government"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    [link] = re.findall(r'href="([^"]*export\.csv[^"]*)"', html)

    response = client.get(unescape(link))

    content = b"".join(response.streaming_content)
    # A byte-order mark first, so that spreadsheet programs read the accents right.
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == COLUMNS
    assert sorted(row[1] for row in rows[1:]) == ["Bilbao", "Málaga"]


def test_a_large_import_leaves_the_directory_sorted_and_its_sort_indexes_in_place(
    client, countries, monkeypatch
):
    from django.db import connection

    from network import csv_format

    # Three rows count as "large" here: the indexes are set aside and built again.
    monkeypatch.setattr(csv_format, "REBUILD_SORT_INDEXES_FROM", 1)
    result = import_(csv_bytes(*GOOD))
    assert result.ok, messages_of(result)

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "network_organisation")
    assert {index.name for index in csv_format._sort_indexes()} <= set(constraints)
    response = client.get("/directory/", HTTP_ACCEPT_LANGUAGE="fr")
    names = [row.name for row in response.context["page"].organisations]
    assert names == ["Association des communes basques", "Bilbao", "Rabat"]
