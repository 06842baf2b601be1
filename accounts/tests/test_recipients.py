"""Who receives mail about an organisation or a commission, in which language: one query."""

import pytest

from accounts.models import Role, User
from accounts.recipients import Reader, readers_for
from library.tests.factories import make_city, make_commission, make_user

pytestmark = pytest.mark.django_db


def test_organisations_are_written_to_through_their_active_representatives_in_their_language(
    django_assert_num_queries,
):
    city, other_city = make_city(), make_city()
    commission = make_commission()
    amina = make_user(
        Role.REPRESENTATIVE, organisation=city, first_name="Amina", last_name="Bennani",
        email="amina@example.org", preferred_language="fr",
    )  # fmt: skip
    make_user(Role.REPRESENTATIVE, organisation=city, email="gone@example.org", is_active=False)
    no_address = make_user(Role.REPRESENTATIVE, organisation=other_city)
    User.objects.filter(pk=no_address.pk).update(email="")
    secretariat = make_user(
        Role.SECRETARIAT, commission=commission, email="sec@example.org", preferred_language="xx"
    )

    with django_assert_num_queries(1):
        found = readers_for(organisations=[city.pk, other_city.pk], commissions=[commission.pk])

    assert found == {
        ("organisation", city.pk): [Reader("amina@example.org", "fr", "Amina Bennani", amina.pk)],
        ("commission", commission.pk): [Reader("sec@example.org", "en", "", secretariat.pk)],
    }
