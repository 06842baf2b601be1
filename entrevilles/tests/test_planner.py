"""After a bulk load, PostgreSQL plans with what the tables now hold."""

import pytest
from django.db import connection

from entrevilles.planner import refresh_planner_statistics
from network.models import Organisation, OrganisationKind
from network.tests.factories import make_country


def _planned_rows(table: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_after_a_bulk_load_postgresql_plans_with_the_rows_just_written():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's planner keeps its defaults: there is nothing to refresh")
    country = make_country()
    Organisation.objects.bulk_create(
        Organisation(
            name_en=f"City {n}",
            search_name=f"city {n}",
            kind=OrganisationKind.LOCAL_GOVERNMENT,
            country=country,
            region=country.region,
        )
        for n in range(500)
    )
    table = Organisation._meta.db_table

    refresh_planner_statistics()

    assert _planned_rows(table) >= 500
