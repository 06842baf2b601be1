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


def index_organisation(object_id: int) -> None:
    from network.models import Organisation

    organisation = (
        Organisation.objects.select_related("country", "region").filter(pk=object_id).first()
    )
    if organisation is None:
        services.remove_entry("organisation", object_id)
        return
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
    services.write_entry(
        "organisation",
        organisation.pk,
        original_language=original if original in LANGUAGES else "en",
        titles={code: name or organisation.name for code, name in names.items()},
        summaries=summaries,
        bodies=summaries,
        url=_organisation_url(organisation),
        facets=facets,
    )


def commission_ids():
    from commissions.models import Commission

    return Commission.objects.active().values_list("id", flat=True)


def index_commission(object_id: int) -> None:
    from commissions.models import Commission

    commission = Commission.objects.active().filter(pk=object_id).first()
    if commission is None:
        services.remove_entry("commission", object_id)
        return
    services.write_entry(
        "commission",
        commission.pk,
        original_language="en",
        titles=_per_language(commission, "name"),
        summaries=_per_language(commission, "mandate"),
        bodies=_per_language(commission, "mandate"),
        url=reverse("commissions:detail", args=[commission.slug]),
        facets=[("type", "commission")],
    )
