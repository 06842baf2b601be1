"""The benchmark commissions: up to 30 commissions, working groups and communities.

Each new one gets a few hundred to a few thousand member organisations (mostly local
governments, drawn at random with a fixed seed), a president and vice-presidents with a
current term, and a secretariat with contact people. Commissions are found again by
slug, so running it again creates nothing. Nothing goes to the audit log.
"""

import random

from django.db import transaction
from django.utils import translation

from commissions.models import (
    Commission,
    CommissionKind,
    CommissionMembership,
    Presidency,
    Secretariat,
)
from demo.commissions import current_term
from network.models import Organisation, OrganisationKind, Person

SEED = 2013

# (slug, English theme, French theme, Spanish theme)
THEMES = [
    ("urban-mobility", "Urban Mobility", "Mobilité urbaine", "Movilidad Urbana"),
    ("culture", "Culture", "Culture", "Cultura"),
    ("migration", "Migration", "Migrations", "Migración"),
    (
        "local-economic-development",
        "Local Economic Development",
        "Développement économique local",
        "Desarrollo Económico Local",
    ),
    ("peripheral-cities", "Peripheral Cities", "Villes périphériques", "Ciudades Periféricas"),
    ("gender-equality", "Gender Equality", "Égalité des genres", "Igualdad de Género"),
    (
        "water-sanitation",
        "Water and Sanitation",
        "Eau et assainissement",
        "Agua y Saneamiento",
    ),
    ("climate-action", "Climate Action", "Action climatique", "Acción Climática"),
    ("housing", "Housing", "Logement", "Vivienda"),
    (
        "food-systems",
        "Urban Food Systems",
        "Systèmes alimentaires urbains",
        "Sistemas Alimentarios Urbanos",
    ),
    ("public-health", "Public Health", "Santé publique", "Salud Pública"),
    ("tourism", "Sustainable Tourism", "Tourisme durable", "Turismo Sostenible"),
    ("waste", "Waste Management", "Gestion des déchets", "Gestión de Residuos"),
    ("energy", "Energy Transition", "Transition énergétique", "Transición Energética"),
    ("resilience", "Urban Resilience", "Résilience urbaine", "Resiliencia Urbana"),
    ("social-inclusion", "Social Inclusion", "Inclusion sociale", "Inclusión Social"),
    ("youth", "Youth", "Jeunesse", "Juventud"),
    ("heritage", "Urban Heritage", "Patrimoine urbain", "Patrimonio Urbano"),
    ("decentralisation", "Decentralisation", "Décentralisation", "Descentralización"),
    (
        "city-diplomacy",
        "City Diplomacy and Peace",
        "Diplomatie des villes et paix",
        "Diplomacia de Ciudades y Paz",
    ),
    (
        "transparency",
        "Transparency and Open Government",
        "Transparence et gouvernement ouvert",
        "Transparencia y Gobierno Abierto",
    ),
    ("public-space", "Public Space", "Espace public", "Espacio Público"),
    (
        "metropolitan-governance",
        "Metropolitan Governance",
        "Gouvernance métropolitaine",
        "Gobernanza Metropolitana",
    ),
    ("island-cities", "Island Cities", "Villes insulaires", "Ciudades Insulares"),
    (
        "rural-urban-linkages",
        "Rural-Urban Linkages",
        "Liens urbain-rural",
        "Vínculos Urbano-Rurales",
    ),
    ("disability", "Accessible Cities", "Villes accessibles", "Ciudades Accesibles"),
    (
        "ageing",
        "Age-Friendly Cities",
        "Villes amies des aînés",
        "Ciudades Amigables con las Personas Mayores",
    ),
    ("education", "Educating Cities", "Villes éducatrices", "Ciudades Educadoras"),
    ("sport", "Sport and the City", "Sport et ville", "Deporte y Ciudad"),
    ("data", "Urban Data", "Données urbaines", "Datos Urbanos"),
]

FORMS = {
    CommissionKind.COMMISSION: ("Commission on {}", "Commission {}", "Comisión de {}"),
    CommissionKind.WORKING_GROUP: (
        "Working Group on {}",
        "Groupe de travail {}",
        "Grupo de Trabajo de {}",
    ),
    CommissionKind.COMMUNITY: (
        "Community of Practice on {}",
        "Communauté de pratique {}",
        "Comunidad de Práctica de {}",
    ),
}
KINDS = [CommissionKind.COMMISSION, CommissionKind.WORKING_GROUP, CommissionKind.COMMUNITY]


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)
        stdout.flush()


def generate_commissions(total: int, *, stdout=None) -> int:
    """Top the commissions up to `total`; return how many were created."""
    existing = Commission.objects.count()
    if existing >= total:
        _say(stdout, f"commissions: {existing} already, nothing to add")
        return 0
    local_ids = list(
        Organisation.objects.filter(kind=OrganisationKind.LOCAL_GOVERNMENT)
        .order_by("id")
        .values_list("id", flat=True)
    )
    other_ids = list(
        Organisation.objects.exclude(kind=OrganisationKind.LOCAL_GOVERNMENT)
        .order_by("id")
        .values_list("id", flat=True)
    )
    start, end = current_term()
    created = 0
    memberships = 0
    with translation.override("en"):
        for number, (theme_slug, *themes) in enumerate(THEMES):
            if existing + created >= total:
                break
            kind = KINDS[number % len(KINDS)]
            slug = f"{kind.replace('_', '-')}-{theme_slug}"
            if Commission.objects.filter(slug=slug).exists():
                continue
            chooser = random.Random(f"{SEED}:{slug}")
            names = tuple(
                form.format(theme) for form, theme in zip(FORMS[kind], themes, strict=True)
            )
            with transaction.atomic():
                commission = Commission(slug=slug, kind=kind, email=f"{slug}@example.org")
                commission.name = names[0]
                commission.name_en, commission.name_fr, commission.name_es = names
                commission.mandate = f"Exchanges and peer learning on {themes[0].lower()}."
                commission.mandate_fr = (
                    f"Échanges et apprentissage entre pairs : {themes[1].lower()}."
                )
                commission.mandate_es = (
                    f"Intercambios y aprendizaje entre pares: {themes[2].lower()}."
                )
                commission.save()
                size = chooser.randint(300, 3_000)
                members = chooser.sample(local_ids, min(size, len(local_ids)))
                members += chooser.sample(other_ids, min(size // 20, len(other_ids)))
                CommissionMembership.objects.bulk_create(
                    [
                        CommissionMembership(commission=commission, organisation_id=member)
                        for member in members
                    ],
                    batch_size=1000,
                )
                memberships += len(members)
                roles = ["president"] + ["vice_president"] * chooser.randint(0, 2)
                for role, organisation_id in zip(roles, members, strict=False):
                    Presidency.objects.create(
                        commission=commission,
                        organisation_id=organisation_id,
                        person=Person.objects.filter(organisation_id=organisation_id).first(),
                        role=role,
                        start_date=start,
                        end_date=end,
                    )
                # The secretariat is an organisation with people, so it has contacts.
                contact = (
                    Person.objects.filter(organisation_id__in=members[:200]).order_by("id").first()
                )
                host = contact.organisation_id if contact else members[0]
                secretariat = Secretariat.objects.create(
                    commission=commission, organisation_id=host
                )
                if contact:
                    secretariat.contacts.set(Person.objects.filter(organisation_id=host)[:2])
            created += 1
            _say(
                stdout, f"commissions: {existing + created} / {total} ({memberships:,} memberships)"
            )
    return created
