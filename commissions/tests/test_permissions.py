import pytest

from commissions import permissions
from network import permissions as network_permissions
from network.models import Visibility

from .factories import make_commission, make_person, personas

pytestmark = pytest.mark.django_db

MANAGERS = {"network_admin", "secretariat"}
EVERYONE = [
    "network_admin",
    "secretariat",
    "other_secretariat",
    "presidency",
    "representative",
    "plain_user",
    "anonymous",
]


@pytest.fixture
def commission():
    return make_commission()


@pytest.fixture
def people(commission):
    return personas(commission)


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
    assert permissions.can_create_commission(user) is (persona == "network_admin")
    assert permissions.can_delete_commission(user, commission) is (persona == "network_admin")


@pytest.mark.parametrize("persona", EVERYONE)
def test_the_back_office_shows_commissions_to_admins_and_secretariats(people, persona):
    allowed = persona in {"network_admin", "secretariat", "other_secretariat"}
    assert permissions.can_use_commission_back_office(people[persona]) is allowed


@pytest.mark.parametrize("persona", EVERYONE)
def test_a_secretariat_edits_only_its_own_commissions(commission, people, persona):
    editable = set(permissions.commissions_editable_by(people[persona]))
    if persona == "network_admin":
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
        (Visibility.MEMBERS, set(EVERYONE) - {"anonymous", "plain_user"}),
        (Visibility.PRIVATE, {"network_admin"}),
    ],
)
def test_secretariat_contact_details_follow_the_persons_choice(
    commission, people, visibility, readers
):
    contact = make_person(contact_visibility=visibility)
    for persona in EVERYONE:
        allowed = network_permissions.can_view_contact_details(people[persona], contact)
        assert allowed is (persona in readers), persona
