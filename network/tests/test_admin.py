import pytest

from audit.models import AuditEntry
from network.models import Organisation

from .factories import make_country, make_network_admin, make_organisation, make_representative

pytestmark = pytest.mark.django_db


def assert_refused(response):
    """The back office turns away people without the role: to its login page, or 403."""
    if response.status_code == 302:
        assert response.url.startswith("/admin/login/")
    else:
        assert response.status_code == 403


def test_network_admins_use_the_back_office_and_save_through_the_services(client):
    admin = make_network_admin(is_staff=True)
    country = make_country(code="MA")
    organisation = make_organisation(name="Rabat", country=country)
    client.force_login(admin)
    assert client.get("/admin/network/organisation/").status_code == 200
    response = client.post(
        f"/admin/network/organisation/{organisation.pk}/change/",
        {
            "name_en": "Rabat",
            "name_fr": "Rabat",
            "name_es": "Rabat",
            "kind": "local_government",
            "country": country.pk,
            "population": "2000000",
            "latitude": "",
            "longitude": "",
            "working_languages": "[]",
            "membership_status": "member",
            "website": "",
            "email": "",
            "external_ref": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation.refresh_from_db()
    assert organisation.size_class == "metropolis"
    assert AuditEntry.objects.filter(action="network.organisation.updated", actor=admin).exists()


def test_a_duplicate_in_the_back_office_is_a_form_error_not_a_crash(client):
    admin = make_network_admin(is_staff=True)
    country = make_country()
    make_organisation(name="Rabat", country=country)
    client.force_login(admin)
    response = client.post(
        "/admin/network/organisation/add/",
        {
            "name_en": "RABAT",
            "kind": "local_government",
            "country": country.pk,
            "working_languages": "[]",
            "membership_status": "member",
        },
    )
    assert response.status_code == 200
    assert "is already in the directory" in response.content.decode()
    assert Organisation.objects.count() == 1


def test_staff_without_the_network_admin_role_are_refused(client):
    organisation = make_organisation()
    client.force_login(make_representative(organisation, is_staff=True))
    assert_refused(client.get("/admin/network/organisation/"))
    assert_refused(client.get(f"/admin/network/organisation/{organisation.pk}/change/"))
