"""The people the network's tests talk about, built through the factories.

Rabat is a member city; Amina represents it; Diego represents another city; Sofia runs
a commission's secretariat and Pablo sits on its presidency; Nadia administers the
network; Lea is signed in with no role and no directory entry.
"""

from dataclasses import dataclass

from accounts.models import User
from commissions.models import Commission
from network.models import Organisation

from .factories import (
    make_commission,
    make_network_admin,
    make_organisation,
    make_presidency,
    make_representative,
    make_secretariat,
    make_user,
)


@dataclass
class Personas:
    rabat: Organisation
    other_city: Organisation
    commission: Commission
    admin: User
    representative: User
    other_representative: User
    secretariat: User
    presidency: User
    plain_user: User


def make_personas() -> Personas:
    rabat = make_organisation(name="Rabat")
    other_city = make_organisation(name="Porto Alegre")
    commission = make_commission()
    return Personas(
        rabat=rabat,
        other_city=other_city,
        commission=commission,
        admin=make_network_admin(email="nadia@example.org"),
        representative=make_representative(rabat, email="amina@example.org"),
        other_representative=make_representative(other_city, email="diego@example.org"),
        secretariat=make_secretariat(commission, email="sofia@example.org"),
        presidency=make_presidency(commission, email="pablo@example.org"),
        plain_user=make_user(email="lea@example.org"),
    )
