"""Short lists to choose organisations, people and library documents by name.

The directory holds 250,000 organisations and 60,000 people: a picker never lists them
all. It shows what is already chosen, then at most PICKER_LIMIT matches of the words
typed.
"""

from django.db.models import Q

from accounts import permissions as roles
from entrevilles.integers import parse_ids
from network.models import Organisation, Person, normalise_for_search

PICKER_LIMIT = 20
# More ids than this in one request is not a choice made by hand.
CHOSEN_LIMIT = 200
KINDS = ("organisations", "people", "documents")


def ids_from(values) -> list[int]:
    return parse_ids(str(v) for v in values)[:CHOSEN_LIMIT]


def organisations(text: str, *, exclude=()):
    """Organisations whose name starts with the text, then those that contain it."""
    prefix = normalise_for_search(text)
    if len(prefix) < 2:
        return []
    base = Organisation.objects.select_related("country").exclude(pk__in=list(exclude))
    # The range lets SQLite and PostgreSQL use the index on search_name.
    found = list(
        base.filter(
            search_name__gte=prefix,
            search_name__lt=prefix + "\U0010ffff",
            search_name__startswith=prefix,
        ).order_by("search_name", "id")[:PICKER_LIMIT]
    )
    if len(found) < PICKER_LIMIT:
        words = prefix.split()[:5]
        more = base.exclude(pk__in=[o.pk for o in found])
        for word in words:
            more = more.filter(search_name__contains=word)
        found += list(more.order_by("search_name", "id")[: PICKER_LIMIT - len(found)])
    return found


def people(text: str, *, exclude=()):
    """People whose first or last names start with each word typed."""
    words = text.split()[:4]
    if not words or len(text.strip()) < 2:
        return []
    found = Person.objects.select_related("organisation").exclude(pk__in=list(exclude))
    for word in words:
        found = found.filter(Q(last_name__istartswith=word) | Q(first_name__istartswith=word))
    return list(found.order_by("last_name", "first_name", "id")[:PICKER_LIMIT])


def visible_documents(user):
    """Published documents the user may read: those one may link."""
    from library.models import Document, DocumentVisibility

    documents = Document.objects.published()
    if not roles.is_network_member(user):
        documents = documents.filter(visibility=DocumentVisibility.PUBLIC)
    return documents


def documents(user, text: str, *, exclude=()):
    text = text.strip()
    if len(text) < 2:
        return []
    found = visible_documents(user).exclude(pk__in=list(exclude))
    for word in text.split()[:5]:
        found = found.filter(
            Q(title_en__icontains=word) | Q(title_fr__icontains=word) | Q(title_es__icontains=word)
        )
    return list(found.order_by("-date", "-id")[:PICKER_LIMIT])


def chosen(kind: str, user, ids):
    if not ids:
        return []
    if kind == "organisations":
        return list(Organisation.objects.select_related("country").filter(pk__in=ids))
    if kind == "people":
        return list(Person.objects.select_related("organisation").filter(pk__in=ids))
    return list(visible_documents(user).filter(pk__in=ids))


def search(kind: str, user, text: str, chosen_ids) -> tuple[list, list]:
    """(chosen, found): the items already ticked, and new matches of the text."""
    ids = ids_from(chosen_ids)
    if kind == "organisations":
        found = organisations(text, exclude=ids)
    elif kind == "people":
        found = people(text, exclude=ids)
    else:
        found = documents(user, text, exclude=ids)
    return chosen(kind, user, ids), found
