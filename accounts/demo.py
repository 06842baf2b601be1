"""Demo logins, one per role, for the world the network and commissions demos build.

Run by `manage.py load_demo` after the network and commissions demos. Idempotent:
logins are found by e-mail, roles granted only when missing, and a password is set
only when the login is created. A scope the other demos did not create is skipped
with a note, never an error.
"""

from commissions.models import Commission
from network.models import Organisation, OrganisationKind, Person
from ops.demo import DEMO_PASSWORD

from . import services
from .models import Role, User

# e-mail, first name, last name, language, role, commission slug, organisation ref.
DEMO_USERS = [
    ("admin@example.org", "Amina", "Diallo", "fr", Role.NETWORK_ADMIN, None, None),
    (
        "secretariat.planning@example.org",
        "Sipho",
        "Mthembu",
        "en",
        Role.SECRETARIAT,
        "strategic-urban-planning",
        None,
    ),
    (
        "secretariat.digital@example.org",
        "Itziar",
        "Etxeberria",
        "es",
        Role.SECRETARIAT,
        "digital-knowledge-cities",
        None,
    ),
    (
        "presidency.durban@example.org",
        "Nomvula",
        "Zulu",
        "en",
        Role.PRESIDENCY,
        "strategic-urban-planning",
        None,
    ),
    (
        "officer.rabat@example.org",
        "Youssef",
        "Benali",
        "fr",
        Role.REPRESENTATIVE,
        None,
        "demo:rabat",
    ),
    ("partner@example.org", "Grace", "Otieno", "en", Role.REPRESENTATIVE, None, "partner"),
]


def _organisation(ref: str):
    if ref == "partner":
        # The first demo partner organisation, whichever the network demo created.
        return (
            Organisation.objects.filter(
                kind=OrganisationKind.PARTNER, external_ref__startswith="demo:"
            )
            .order_by("external_ref")
            .first()
        )
    return Organisation.objects.filter(external_ref=ref).first()


def load_demo(stdout=None) -> None:
    def say(text: str) -> None:
        if stdout is not None:
            stdout.write(text)

    for email, first, last, language, role, slug, ref in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                preferred_language=language,
            )
        commission = organisation = None
        if slug is not None:
            commission = Commission.objects.filter(slug=slug).first()
            if commission is None:
                say(f"  demo login {email}: commission {slug} missing, no role granted")
                continue
        if ref is not None:
            organisation = _organisation(ref)
            if organisation is None:
                say(f"  demo login {email}: organisation {ref} missing, no role granted")
                continue
        services.grant_role(
            user, role, commission=commission, organisation=organisation, actor=None
        )
        # Link the login to the directory entry with the same address, if there is one.
        if not Person.objects.filter(user=user).exists():
            person = Person.objects.filter(email__iexact=email, user=None).order_by("pk").first()
            if person is not None:
                person.user = user
                person.save(update_fields=["user", "updated_at"])
    say(f"  {len(DEMO_USERS)} demo logins ready")
