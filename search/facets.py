"""Readable, translated labels of facet values, and the links that toggle them."""

from django.conf import settings
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from entrevilles.integers import parse_ids

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
    if name == "type":
        return {v: str(TYPE_LABELS.get(v, v)) for v in values}
    if name == "theme":
        from library.models import Theme

        return {t.key: t.label for t in Theme.objects.filter(key__in=values)}
    if name == "sdg":
        from library.models import SDG

        return {str(s.number): str(s) for s in SDG.objects.filter(number__in=parse_ids(values))}
    if name == "region":
        from network.models import Region

        return {r.code: r.name for r in Region.objects.filter(code__in=values)}
    if name == "size_class":
        from network.models import SizeClass

        return {v: str(SizeClass(v).label) for v in values if v in SizeClass.values}
    if name == "language":
        return {code: str(label) for code, label in settings.LANGUAGES}
    return {}


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
