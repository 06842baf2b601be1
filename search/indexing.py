"""Search entries of the directory's organisations and of the commissions."""

from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.http import urlencode

from . import services

LANGUAGES = ("en", "fr", "es")


def _organisation_url(organisation) -> str:
    # The directory's organisation page is the shared contract `network:organisation`;
    # until it exists, the directory filtered on the name leads there.
    try:
        return reverse("network:organisation", args=[organisation.pk])
    except NoReverseMatch:
        return reverse("network:directory") + "?" + urlencode({"q": organisation.name})


def _per_language(obj, field: str) -> dict[str, str]:
    return {code: getattr(obj, f"{field}_{code}", "") or "" for code in LANGUAGES}


def organisation_ids():
    from network.models import Organisation

    return Organisation.objects.values_list("id", flat=True)


def organisation_entry(organisation) -> services.EntryData:
    names = _per_language(organisation, "name")
    summaries = {}
    for code in LANGUAGES:
        with translation.override(code):
            summaries[code] = f"{organisation.get_kind_display()} · {organisation.country.name}"
    facets = [("type", "organisation"), ("region", organisation.region.code)]
    if organisation.size_class:
        facets.append(("size_class", organisation.size_class))
    facets += [
        ("language", code) for code in organisation.working_languages or [] if code in LANGUAGES
    ]
    original = (organisation.working_languages or ["en"])[0]
    return services.EntryData(
        "organisation",
        organisation.pk,
        original_language=original if original in LANGUAGES else "en",
        titles={code: name or organisation.name for code, name in names.items()},
        summaries=summaries,
        bodies=summaries,
        url=_organisation_url(organisation),
        facets=facets,
    )


def organisation_entries(object_ids: list[int]) -> list[services.EntryData]:
    from network.models import Organisation

    organisations = Organisation.objects.select_related("country", "region").filter(
        pk__in=object_ids
    )
    return [organisation_entry(organisation) for organisation in organisations]


def _index_one(object_type: str, object_id: int, build) -> None:
    entries = build([object_id])
    if entries:
        services.write_entries(entries)
    else:
        services.remove_entry(object_type, object_id)


def index_organisation(object_id: int) -> None:
    _index_one("organisation", object_id, organisation_entries)


def commission_ids():
    from commissions.models import Commission

    return Commission.objects.active().values_list("id", flat=True)


def commission_entry(commission) -> services.EntryData:
    return services.EntryData(
        "commission",
        commission.pk,
        original_language="en",
        titles=_per_language(commission, "name"),
        summaries=_per_language(commission, "mandate"),
        bodies=_per_language(commission, "mandate"),
        url=reverse("commissions:detail", args=[commission.slug]),
        facets=[("type", "commission")],
    )


def commission_entries(object_ids: list[int]) -> list[services.EntryData]:
    from commissions.models import Commission

    commissions = Commission.objects.active().filter(pk__in=object_ids)
    return [commission_entry(commission) for commission in commissions]


def index_commission(object_id: int) -> None:
    _index_one("commission", object_id, commission_entries)
