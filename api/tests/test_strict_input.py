"""Clumsy or hostile numbers in paths, query strings and links answer 400 or 404, never
a server error."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

HUGE = "9" * 25


@pytest.fixture
def api():
    # A server error would raise in the test client instead of answering 500.
    return APIClient(raise_request_exception=True)


@pytest.mark.parametrize("value", ["²", "٥", HUGE, "-1", "abc"])
def test_a_person_filter_that_is_not_an_id_answers_400(api, value):
    response = api.get("/api/people/", {"organisation": value})
    assert response.status_code == 400
    assert response.json() == {"organisation": ["Give an organisation id."]}


@pytest.mark.parametrize("value", ["²", HUGE, str(2**63)])
def test_id_filters_beyond_the_databases_range_answer_400(api, value):
    assert api.get("/api/actions/", {"owner_organisations": value}).status_code == 400
    assert api.get("/api/actions/", {"workstream": value}).status_code == 400


@pytest.mark.parametrize("path", ["abc", "²", "٥", HUGE, "1.json.x"])
@pytest.mark.usefixtures("administrator", "secretariat", "presidency", "city_officer", "outsider")
def test_a_document_path_that_is_not_an_id_answers_404(api, path):
    api.force_authenticate(None)
    assert api.patch(f"/api/documents/{path}/", {"title_en": "x"}).status_code == 404
    assert api.get(f"/api/documents/{path}/").status_code == 404


@pytest.mark.parametrize(
    "token", ["².1.YQ.x", "1.²²².YQ.sig", "٥.1.YQ.sig", "1.9" + "9" * 30 + ".YQ.x"]
)
def test_an_unsubscribe_link_with_strange_digits_answers_400(client, token):
    response = client.get(f"/circulars/unsubscribe/{token}/")
    assert response.status_code == 400
    assert "This link is not valid." in response.content.decode()


@pytest.mark.parametrize("value", ["²", HUGE])
def test_pages_read_strange_numbers_in_their_query_strings_as_absent(client, value, administrator):
    client.force_login(administrator)
    assert client.get("/actions/", {"workstream": value, "owner": value}).status_code == 200
    assert client.get("/search/", {"page": value, "sdg": value}).status_code == 200


@pytest.mark.parametrize(
    "url", ["/api/organisations/?q=a%00b", "/search/?q=%00", "/api/people/%00/"]
)
def test_a_nul_character_in_an_address_answers_400(client, url):
    # PostgreSQL cannot compare text holding NUL: without this, a 500 there.
    assert client.get(url).status_code == 400


def test_a_nul_character_in_a_request_body_answers_400(api, administrator):
    api.force_authenticate(administrator)
    response = api.post(
        "/api/workstreams/", {"title_en": "x", "commissions": ["a\x00b"]}, format="json"
    )
    assert response.status_code == 400
    response = api.post("/api/workstreams/", {"title_en": "x", "commissions": "a\x00b"})
    assert response.status_code == 400
