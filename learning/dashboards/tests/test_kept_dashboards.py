"""The dashboards kept between requests: a change shows at the next request, each reader
sees what their roles allow, and a kept page costs the same few queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionStatus
from actions.services import update_action
from actions.tests.factories import make_workstream
from commissions.services import update_commission
from learning.groups import services
from learning.groups.tests.factories import make_group, make_organisation, make_partnership
from learning.models import GroupVisibility, PartnershipStatus
from learning.partnerships.services import late_since
from library.models import Theme

pytestmark = pytest.mark.django_db


def _figure(page: str, label: str) -> int:
    """The number a dashboard shows beside `label` in its figures."""
    found = re.search(rf"<dt>{label}</dt><dd>([\d,]+)</dd>", page)
    assert found, f"no figure {label!r}"
    return int(found.group(1).replace(",", ""))


def _programme(client) -> str:
    response = client.get(reverse("learning:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def _of_commission(client, commission) -> str:
    response = client.get(reverse("learning:commission_dashboard", args=[commission.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_partnership_shows_at_the_next_request(
    client, administrator, commission, member_city, durban
):
    make_partnership(parties=[durban, member_city], commission=commission)
    client.force_login(administrator)
    assert _figure(_programme(client), "Partnerships") == 1
    assert _figure(_programme(client), "Partnerships") == 1
    make_partnership(parties=[durban, member_city], commission=commission)
    assert _figure(_programme(client), "Partnerships") == 2
    assert _figure(_of_commission(client, commission), "Partnerships") == 2


def test_a_renamed_commission_shows_at_the_next_request(client, administrator, commission):
    client.force_login(administrator)
    assert "Planning" in _of_commission(client, commission)
    assert "Planning" in _programme(client)
    update_commission(commission, name_en="Urban Planning Works", actor=None)
    page = _of_commission(client, commission)
    assert "<title>Learning dashboard · Urban Planning Works" in page
    assert "Urban Planning Works" in _programme(client)


def test_the_address_of_no_commission_answers_not_found(client, administrator, commission):
    client.force_login(administrator)
    _of_commission(client, commission)  # the commissions' addresses are kept
    missing = reverse("learning:commission_dashboard", args=["no-such-commission"])
    assert client.get(missing).status_code == 404
    address = reverse("learning:commission_dashboard", args=[commission.slug])
    commission.delete()
    assert client.get(address).status_code == 404


def test_a_new_member_and_a_conclusion_done_show_at_the_next_request(
    client, administrator, commission, member_city
):
    group = make_group(commission=commission, name="Planners")
    conclusion = services.add_conclusion(group, texts={"en": "Meet in Rabat"}, actor=None)
    client.force_login(administrator)
    page = _of_commission(client, commission)
    assert _figure(page, "Open conclusions") == 1 and "Meet in Rabat" in page
    services.add_member(group, member_city, actor=None)
    page = _of_commission(client, commission)
    assert re.search(r'<td class="num">1</td><td class="num">1</td></tr>', page)
    action = services.conclusion_to_action(
        conclusion, workstream=make_workstream(commissions=[commission]), actor=None
    )
    assert _figure(_of_commission(client, commission), "Open conclusions") == 1
    update_action(action, changes={"status": ActionStatus.DONE}, actor=None)
    page = _of_commission(client, commission)
    assert _figure(page, "Open conclusions") == 0 and "Meet in Rabat" not in page


def test_a_report_falls_late_on_the_next_day(
    client, monkeypatch, administrator, commission, member_city, durban
):
    partnership = make_partnership(
        parties=[durban, member_city], commission=commission, title="Pairing of the day"
    )
    partnership.next_report_due_on = late_since()
    partnership.save()
    client.force_login(administrator)
    page = _of_commission(client, commission)
    assert "0 reports late" in page and "1 report due" in page
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    page = _of_commission(client, commission)
    assert "1 report late" in page and "0 reports due" in page


@pytest.mark.parametrize(
    ("persona", "answers"),
    [
        # Another commission's secretariat is taken to its own commission's dashboard.
        ("other_secretariat", (403, 302)),
        ("city_officer", (403, 403)),
        ("outsider", (403, 403)),
        (None, (302, 302)),
    ],
)
def test_a_reader_without_the_rights_never_gets_a_kept_dashboard(
    client, request, administrator, commission, persona, answers
):
    make_group(commission=commission, name="Planners")
    client.force_login(administrator)
    assert "Planners" in _of_commission(client, commission)
    assert "Planners" in _programme(client)
    client.logout()
    if persona:
        client.force_login(request.getfixturevalue(persona))
    urls = (
        reverse("learning:commission_dashboard", args=[commission.slug]),
        reverse("learning:dashboard"),
    )
    for url, status in zip(urls, answers, strict=True):
        response = client.get(url)
        assert response.status_code == status
        assert "Planners" not in response.content.decode()
        if status == 302:
            assert response.url not in urls


def test_each_reader_sees_the_groups_their_roles_allow(
    client, administrator, secretariat, presidency, commission
):
    make_group(commission=commission, name="Open forum")
    make_group(commission=commission, name="Quiet circle", visibility=GroupVisibility.MEMBERS)
    for reader, sees_the_quiet_circle in (
        (administrator, True),
        (presidency, False),
        (secretariat, True),
        (presidency, False),
        (administrator, True),
    ):
        client.force_login(reader)
        page = _of_commission(client, commission)
        assert "Open forum" in page
        assert ("Quiet circle" in page) is sees_the_quiet_circle
        assert _figure(page, "Learning groups") == (2 if sees_the_quiet_circle else 1)


def test_each_language_has_its_own_kept_dashboard(client, administrator):
    client.force_login(administrator)
    assert "Partnerships by status" in _programme(client)
    administrator.preferred_language = "es"
    administrator.save()
    assert "Alianzas por estado" in _programme(client)
    administrator.preferred_language = "fr"
    administrator.save()
    assert "Partenariats par statut" in _programme(client)


def _kept_queries(client, url) -> int:
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_kept_dashboard_reads_the_same_few_queries_for_few_and_many_rows(
    client, administrator, commission
):
    client.force_login(administrator)
    urls = (
        reverse("learning:dashboard"),
        reverse("learning:commission_dashboard", args=[commission.slug]),
    )
    few = [_kept_queries(client, url) for url in urls]
    themes = [
        Theme.objects.get_or_create(key=f"t{n}", defaults={"label": f"Theme {n}"})[0]
        for n in range(5)
    ]
    cities = [make_organisation() for _ in range(8)]
    for n in range(30):
        make_partnership(
            parties=[cities[n % 8], cities[(n + 3) % 8]],
            status=PartnershipStatus.values[n % len(PartnershipStatus.values)],
            commission=commission,
            themes=themes[: n % 5],
        )
    for n in range(5):
        group = make_group(commission=commission)
        services.add_member(group, cities[n], actor=None)
        services.add_conclusion(group, texts={"en": f"Conclusion {n}"}, actor=None)
    many = [_kept_queries(client, url) for url in urls]
    assert many == few
    # The session, the user (and their devices), the roles and the unread notifications
    # are kept too, and the commissions' addresses: what is left is the kept dashboard's
    # own reads.
    assert max(many) <= 3
