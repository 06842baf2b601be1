"""Segments resolved to people: include, exclude, counts per language, in few queries."""

import pytest

from circulars import audiences, services
from circulars.models import SegmentKind
from meetings import services as meeting_services
from network.models import OrganisationKind

from .factories import add_member, make_circular, make_commission, make_organisation, make_person


def make_admin():
    from accounts.models import Role
    from meetings.tests.factories import grant, make_user

    return grant(make_user(email="admin@example.org"), Role.NETWORK_ADMIN)


pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    commission = make_commission()
    city = make_organisation(name="Rabat")
    add_member(commission, city)
    partner = make_organisation(name="UN-Habitat", kind=OrganisationKind.PARTNER)
    return {
        "commission": commission,
        "city": city,
        "partner": partner,
        "fr": make_person(organisation=city, email="Amal@Example.org", preferred_language="fr"),
        "es": make_person(organisation=city, email="es@example.org", preferred_language="es"),
        "no_email": make_person(organisation=city, email=""),
        "partner_person": make_person(organisation=partner, email="un@example.org"),
        "outsider": make_person(email="out@example.org"),
    }


def _emails(circular):
    return sorted(audiences.recipients(circular).values_list("address", flat=True))


def test_members_of_a_commission_and_partners_are_combined(world):
    circular = make_circular(
        audience=[
            {"kind": SegmentKind.COMMISSION_MEMBERS, "commission": world["commission"]},
            {"kind": SegmentKind.PARTNERS},
        ]
    )
    assert _emails(circular) == ["amal@example.org", "es@example.org", "un@example.org"]


def test_an_excluded_segment_removes_its_people(world):
    circular = make_circular(
        audience=[
            {"kind": SegmentKind.COMMISSION_MEMBERS, "commission": world["commission"]},
            {"kind": SegmentKind.PEOPLE, "people": [world["es"]], "exclude": True},
        ]
    )
    assert _emails(circular) == ["amal@example.org"]


def test_regions_kinds_and_meeting_participants_are_segments(world):
    from meetings.tests.factories import make_meeting

    meeting = make_meeting(commissions=[world["commission"]])
    meeting_services.register(meeting, world["outsider"], actor=None)
    by_meeting = make_circular(
        audience=[{"kind": SegmentKind.MEETING_PARTICIPANTS, "meeting": meeting}]
    )
    by_region = make_circular(
        audience=[{"kind": SegmentKind.REGION, "region": world["partner"].region}]
    )
    by_kind = make_circular(
        audience=[
            {"kind": SegmentKind.ORGANISATION_KIND, "organisation_kind": OrganisationKind.PARTNER}
        ]
    )

    assert _emails(by_meeting) == ["out@example.org"]
    assert _emails(by_region) == ["un@example.org"]
    assert _emails(by_kind) == ["un@example.org"]


def test_the_preview_counts_per_language_and_says_who_gets_the_original(
    world, django_assert_max_num_queries
):
    circular = make_circular(
        original_language="en",
        audience=[{"kind": SegmentKind.COMMISSION_MEMBERS, "commission": world["commission"]}],
    )
    services.suppress("es@example.org", reason="bounced", actor=None)

    admin = make_admin()
    # One more than before: the viewer's roles, read once for the visibility rule.
    with django_assert_max_num_queries(8):
        preview = audiences.preview(circular, viewer=admin)

    assert preview.total == 1
    assert preview.without_email == 1
    assert preview.suppressed == 1
    assert preview.by_language == [("fr", "French", 1, "fr")]
    assert [r["address"] for r in preview.first] == ["amal@example.org"]


def test_an_audience_with_only_exclusions_is_empty(world):
    circular = make_circular(audience=[{"kind": SegmentKind.PARTNERS, "exclude": True}])
    assert audiences.preview(circular).is_empty
    assert _emails(circular) == []
