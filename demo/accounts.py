"""Demo logins: one per role, each the login of a demo person (see demo.world.DEMO_LOGINS)."""

from django.db import transaction

from accounts.models import Role, RoleAssignment, User
from commissions.models import Commission
from demo.network import organisation
from demo.world import DEMO_LOGINS, DEMO_PASSWORD
from network.models import Person

# e-mail: [(role, commission slug or None, organisation slug or None)]
DEMO_ROLES = {
    "admin@example.org": [(Role.NETWORK_ADMIN, None, None)],
    "secretariat.planning@example.org": [(Role.SECRETARIAT, "strategic-urban-planning", None)],
    "secretariat.digital@example.org": [(Role.SECRETARIAT, "digital-knowledge-cities", None)],
    "presidency.durban@example.org": [(Role.PRESIDENCY, "strategic-urban-planning", None)],
    "officer.rabat@example.org": [(Role.REPRESENTATIVE, None, "rabat")],
    "partner@example.org": [(Role.REPRESENTATIVE, None, "un-habitat")],
}


def load_demo(stdout=None) -> None:
    """Create the demo users, link them to their people and give them their roles."""
    with transaction.atomic():
        for email, _description in DEMO_LOGINS:
            person = Person.objects.get(email=email)
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User(email=email)
                # Hashing is slow on purpose: only when the user is new.
                user.set_password(DEMO_PASSWORD)
            user.first_name = person.first_name
            user.last_name = person.last_name
            user.preferred_language = person.preferred_language
            user.is_staff = email == "admin@example.org"
            user.save()
            if person.user_id != user.pk:
                person.user = user
                person.save(update_fields=["user"])
            for role, commission_slug, organisation_slug in DEMO_ROLES[email]:
                RoleAssignment.objects.get_or_create(
                    user=user,
                    role=role,
                    commission=Commission.objects.get(slug=commission_slug)
                    if commission_slug
                    else None,
                    organisation=organisation(organisation_slug) if organisation_slug else None,
                )
    if stdout is not None:
        stdout.write(f"accounts: {len(DEMO_LOGINS)} demo logins")
