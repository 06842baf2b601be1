"""Pages and static files travel compressed to browsers that accept it."""

import gzip

import pytest


@pytest.mark.django_db
def test_the_home_page_is_sent_compressed(client):
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert b"</html>" in gzip.decompress(response.content)


def test_the_style_sheet_is_sent_compressed_and_much_smaller(client):
    plain = client.get("/static/css/entrevilles.css")
    compressed = client.get("/static/css/entrevilles.css", HTTP_ACCEPT_ENCODING="gzip")
    assert compressed["Content-Encoding"] == "gzip"
    body = gzip.decompress(b"".join(compressed.streaming_content))
    assert body == b"".join(plain.streaming_content)
    assert (
        len(
            b"".join(
                client.get(
                    "/static/css/entrevilles.css", HTTP_ACCEPT_ENCODING="gzip"
                ).streaming_content
            )
        )
        < len(body) / 2
    )
