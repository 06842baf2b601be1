"""Demo commissions: the two commissions of the founding circular, and a working group.

Organisations come from the network demo (external_ref "demo:<slug>"); any that are
missing are skipped, so this runs on its own too. Idempotent: a second run changes nothing.
"""

from network.models import Organisation, OrganisationKind, Person

from . import services
from .models import Commission, CommissionKind, Presidency, Secretariat

COMMISSIONS = [
    {
        "slug": "strategic-urban-planning",
        "kind": CommissionKind.COMMISSION,
        "name_en": "Commission on Strategic Urban Planning",
        "name_fr": "Commission Planification urbaine stratégique",
        "name_es": "Comisión de Planificación Urbana Estratégica",
        "mandate_en": (
            "Supports local and regional governments in planning their territories "
            "strategically: city-to-city learning, the International Guidelines on Urban and "
            "Territorial Planning, and the role of intermediary cities."
        ),
        "mandate_fr": (
            "Accompagne les gouvernements locaux et régionaux dans la planification "
            "stratégique de leurs territoires : apprentissage de ville à ville, Lignes "
            "directrices internationales sur la planification urbaine et territoriale, et rôle "
            "des villes intermédiaires."
        ),
        "mandate_es": (
            "Acompaña a los gobiernos locales y regionales en la planificación estratégica de "
            "sus territorios: aprendizaje entre ciudades, Directrices Internacionales sobre "
            "Planificación Urbana y Territorial, y papel de las ciudades intermedias."
        ),
        "email": "planning@example.org",
        "presidencies": [("demo:durban", "co_president"), ("demo:porto-alegre", "co_president")],
        "secretariats": ["demo:durban", "demo:porto-alegre"],
    },
    {
        "slug": "digital-knowledge-cities",
        "kind": CommissionKind.COMMISSION,
        "name_en": "Commission on Digital and Knowledge-Based Cities",
        "name_fr": "Commission Villes numériques et de la connaissance",
        "name_es": "Comisión de Ciudades Digitales y del Conocimiento",
        "mandate_en": (
            "Helps local governments use digital tools and knowledge to serve their citizens, "
            "and to share what they learn with their peers."
        ),
        "mandate_fr": (
            "Aide les gouvernements locaux à utiliser les outils numériques et la connaissance "
            "au service de leurs habitants, et à partager ce qu’ils apprennent avec leurs pairs."
        ),
        "mandate_es": (
            "Ayuda a los gobiernos locales a usar las herramientas digitales y el conocimiento "
            "al servicio de la ciudadanía, y a compartir lo que aprenden con sus pares."
        ),
        "email": "digital@example.org",
        "presidencies": [("demo:bilbao", "president")],
        "secretariats": ["demo:bilbao"],
    },
    {
        "slug": "intermediary-cities",
        "kind": CommissionKind.WORKING_GROUP,
        "name_en": "Working group on intermediary cities",
        "name_fr": "Groupe de travail sur les villes intermédiaires",
        "name_es": "Grupo de trabajo sobre ciudades intermedias",
        "mandate_en": "Completes the Framework Document on intermediary cities with case studies.",
        "mandate_fr": (
            "Complète le document-cadre sur les villes intermédiaires par des études de cas."
        ),
        "mandate_es": (
            "Completa el documento marco sobre ciudades intermedias con estudios de caso."
        ),
        "email": "",
        "presidencies": [("demo:rabat", "president")],
        "secretariats": ["demo:world-secretariat"],
    },
]


def _organisation(ref: str) -> Organisation | None:
    return Organisation.objects.filter(external_ref=ref).first()


def _commission(spec: dict) -> Commission:
    fields = {
        key: value
        for key, value in spec.items()
        if key in services.EDITABLE_FIELDS and key != "is_active"
    }
    commission = Commission.objects.filter(slug=spec["slug"]).first()
    if commission is None:
        return services.create_commission(slug=spec["slug"], actor=None, **fields)
    return services.update_commission(commission, actor=None, **fields)


def _members(spec: dict) -> list[Organisation]:
    """Demo members: cities and associations of every region, a different mix per body."""
    demo = Organisation.objects.filter(external_ref__startswith="demo:").exclude(
        kind=OrganisationKind.SECRETARIAT
    )
    organisations = list(demo.order_by("external_ref"))
    if spec["slug"] == "strategic-urban-planning":
        return organisations
    if spec["slug"] == "digital-knowledge-cities":
        return organisations[::2]
    return [o for o in organisations if o.size_class == "intermediary"] or organisations[1::3]


def load_demo(stdout=None) -> None:
    for spec in COMMISSIONS:
        commission = _commission(spec)
        for ref, role in spec["presidencies"]:
            organisation = _organisation(ref)
            if organisation is None:
                continue
            if Presidency.objects.filter(
                commission=commission, organisation=organisation, role=role
            ).exists():
                continue
            services.set_presidency(
                commission,
                role=role,
                organisation=organisation,
                person=Person.objects.filter(organisation=organisation).order_by("id").first(),
                actor=None,
            )
        for ref in spec["secretariats"]:
            organisation = _organisation(ref)
            if organisation is None:
                continue
            secretariat = Secretariat.objects.filter(
                commission=commission, organisation=organisation
            ).first() or services.set_secretariat(commission, organisation, actor=None)
            for person in Person.objects.filter(organisation=organisation).order_by("id")[:2]:
                services.add_secretariat_contact(secretariat, person, actor=None)
        for organisation in _members(spec):
            services.add_member(commission, organisation, actor=None)
        if stdout is not None:
            stdout.write(
                f"commission {commission.slug}: {commission.memberships.count()} members\n"
            )
