"""The demo data: the world of the founding circular, loaded by `manage.py load_demo`.

Each domain's demo records are in this app's module of the same name; this module
runs them in order. Loading is idempotent: running it again changes nothing. `bin/start`
loads them into an empty database only (`load_demo --if-empty`), so that a restart never
touches what people made since.
"""

from importlib import import_module

from django.db import transaction

# Every demo login shares this password; addresses are at example.org, never real.
DEMO_PASSWORD = "entrevilles-demo"  # noqa: S105 - demo only, printed at start

DEMO_LOGINS = [
    ("admin@example.org", "Network administrator (World Secretariat)"),
    ("secretariat.planning@example.org", "Secretariat, Strategic Urban Planning"),
    ("secretariat.digital@example.org", "Secretariat, Digital and Knowledge-Based Cities"),
    ("presidency.durban@example.org", "Presidency, Strategic Urban Planning (Durban)"),
    ("officer.rabat@example.org", "Representative of Rabat"),
    ("partner@example.org", "Representative of a partner organisation"),
]

# Domains whose module here has a `load_demo(stdout)` function, in dependency order.
DEMO_APPS = [
    "network",
    "commissions",
    "accounts",
    "meetings",
    "actions",
    "library",
    "learning",
    "circulars",
]


def database_is_empty() -> bool:
    """True before anyone used the platform: no account and no organisation yet (the
    migrations create reference data only: countries, SDGs, themes)."""
    from accounts.models import User
    from network.models import Organisation

    return not User.objects.exists() and not Organisation.objects.exists()


def load(stdout=None) -> None:
    for app in DEMO_APPS:
        try:
            module = import_module(f"demo.{app}")
        except ModuleNotFoundError:
            continue
        with transaction.atomic():
            module.load_demo(stdout=stdout)
