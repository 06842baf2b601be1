"""bin/start loads the demo data into an empty database only: restarting after use of the
platform works and leaves what people made alone."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from network.models import Organisation, Person

pytestmark = pytest.mark.django_db


def start() -> str:
    """What bin/start does to the data on every start."""
    out = StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    return out.getvalue()


def test_the_first_start_loads_the_demo_into_the_empty_database():
    assert "Demo data loaded." in start()
    assert Organisation.objects.filter(external_ref="demo:world-secretariat").exists()
    assert User.objects.filter(email="admin@example.org").exists()


def test_a_restart_after_use_works_and_changes_nothing_people_made():
    start()
    rabat = Organisation.objects.get(name="Rabat")
    Organisation.objects.filter(pk=rabat.pk).update(name="Rabat-Salé", population=600_000)
    demo_person = Person.objects.filter(organisation=rabat).exclude(email="").first()
    Person.objects.filter(pk=demo_person.pk).update(email="moved@example.org")
    Person.objects.create(
        organisation=rabat, first_name="New", last_name="Colleague", email=demo_person.email
    )
    people = Person.objects.count()

    assert "The database is in use: the demo data are not loaded." in start()

    rabat.refresh_from_db()
    assert (rabat.name, rabat.population) == ("Rabat-Salé", 600_000)
    assert not Organisation.objects.filter(name="Rabat").exists()
    assert Person.objects.count() == people


def test_a_database_where_someone_signed_up_is_not_given_the_demo():
    User.objects.create_user(email="first.admin@city.example", password="a-long-password-1")
    start()
    assert not Organisation.objects.exists()
