import pytest

from commissions import permissions
from network import permissions as network_permissions
from network.models import Visibility

from .factories import make_commission, make_person

pytestmark = pytest.mark.django_db

MANAGERS = {"administrator", "secretariat"}
EVERYONE = [
    "administrator",
    "secretariat",
    "other_secretariat",
    "presidency",
    "city_officer",
    "outsider",
    "anonymous",
]


@pytest.fixture
def commission():
    return make_commission()


@pytest.fixture
def people(request):
    """Each persona of EVERYONE by name, from the cast; anonymous is None."""
    return {
        name: request.getfixturevalue(name) if name != "anonymous" else None for name in EVERYONE
    }


@pytest.mark.parametrize("persona", EVERYONE)
@pytest.mark.parametrize(
    "check",
    [
        permissions.can_manage_commission_members,
        permissions.can_edit_commission,
        permissions.can_view_commission_history,
    ],
    ids=lambda check: check.__name__,
)
def test_only_network_admins_and_the_commissions_own_secretariat_manage_it(
    commission, people, persona, check
):
    assert check(people[persona], commission) is (persona in MANAGERS)


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_network_admins_create_and_delete_commissions(commission, people, persona):
    user = people[persona]
    assert permissions.can_create_commission(user) is (persona == "administrator")
    assert permissions.can_delete_commission(user, commission) is (persona == "administrator")


@pytest.mark.parametrize("persona", EVERYONE)
def test_the_back_office_shows_commissions_to_admins_and_secretariats(people, persona):
    allowed = persona in {"administrator", "secretariat", "other_secretariat"}
    assert permissions.can_use_commission_back_office(people[persona]) is allowed


@pytest.mark.parametrize("persona", EVERYONE)
def test_a_secretariat_edits_only_its_own_commissions(commission, people, persona):
    editable = set(permissions.commissions_editable_by(people[persona]))
    if persona == "administrator":
        assert commission in editable
        assert len(editable) == 2  # theirs and the other secretariat's
    elif persona == "secretariat":
        assert editable == {commission}
    elif persona == "other_secretariat":
        assert editable and commission not in editable
    else:
        assert editable == set()


@pytest.mark.parametrize(
    ("visibility", "readers"),
    [
        (Visibility.PUBLIC, set(EVERYONE)),
        (Visibility.MEMBERS, set(EVERYONE) - {"anonymous", "outsider"}),
        (Visibility.PRIVATE, {"administrator"}),
    ],
)
def test_secretariat_contact_details_follow_the_persons_choice(
    commission, people, visibility, readers
):
    contact = make_person(contact_visibility=visibility)
    for persona in EVERYONE:
        allowed = network_permissions.can_view_contact_details(people[persona], contact)
        assert allowed is (persona in readers), persona
