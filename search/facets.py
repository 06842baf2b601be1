"""Readable, translated labels of facet values, and the links that toggle them."""

from django.conf import settings
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from . import registry

FACET_TITLES = {
    "type": _("Type"),
    "theme": _("Theme"),
    "sdg": _("SDG"),
    "region": _("Region"),
    "size_class": _("Size"),
    "language": _("Language"),
    "year": _("Year"),
}
TYPE_LABELS = {
    "experience": _("Experience"),
    "document": _("Document"),
    "organisation": _("Organisation"),
    "commission": _("Commission"),
    "meeting": _("Meeting"),
    "action": _("Action"),
    "need": _("Learning need"),
}


def _labels(name: str, values: list[str]) -> dict[str, str]:
    """The labels of the type and language facets, and those the apps registered."""
    if name == "type":
        return {v: str(TYPE_LABELS.get(v, v)) for v in values}
    if name == "language":
        return {code: str(label) for code, label in settings.LANGUAGES}
    labels = registry.facet_labels_for(name)
    return labels(values) if labels is not None else {}


def labelled(facets: dict, filters: dict, params: dict) -> list[dict]:
    """[{name, title, values: [{value, label, count, selected, url}]}] for the page."""
    groups = []
    for name, rows in facets.items():
        if not rows and not filters.get(name):
            continue
        labels = _labels(name, [value for value, _n in rows])
        values = []
        for value, count in rows[:12]:
            selected = filters.get(name) == value
            toggled = {k: v for k, v in params.items() if k != name}
            if not selected:
                toggled[name] = value
            values.append(
                {
                    "value": value,
                    "label": labels.get(value, value),
                    "count": count,
                    "selected": selected,
                    "url": "?" + urlencode(toggled),
                }
            )
        groups.append({"name": name, "title": FACET_TITLES[name], "values": values})
    return groups
