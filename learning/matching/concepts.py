"""From text in any of the three languages to concepts that do not depend on it.

A concept is a key of the search glossary ("housing", "informal-settlement"), a theme
("theme:mobility") or an SDG ("sdg:11"). The glossary lists the words for each concept
in English, French and Spanish; a text is cut into words, stemmed in its own language,
and the longest run of stems naming a concept wins ("planificación urbana" is
urban-planning, not planning + urban). A compound concept also counts, at half weight,
for the concepts its key is made of ("social-housing" for "housing"), so that a need
about social housing still meets an experience about housing.
"""

import math
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import get_language

from search import language as text_language
from search import query as search_query

LANGUAGES = text_language.LANGUAGES
MAX_PHRASE_WORDS = search_query.MAX_PHRASE_WORDS
# Texts longer than this are cut: the first pages of a text say what it is about.
MAX_TEXT_CHARS = 20_000
PARENT_WEIGHT = 0.5
SDG_WEIGHT = 0.5
THEME_WEIGHT = 1.0


@dataclass
class Lexicon:
    """The concepts by the stems of their words, in each language, and their labels."""

    index: dict[tuple[str, tuple[str, ...]], str]
    parents: dict[str, list[str]]
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    def label(self, concept: str, language_code: str | None = None) -> str:
        """The concept's name in the reader's language (its first glossary variant)."""
        from django.utils.translation import gettext

        code = (language_code or get_language() or "en")[:2]
        if concept.startswith("sdg:"):
            return gettext("SDG %(number)s") % {"number": concept[4:]}
        names = self.labels.get(concept, {})
        return names.get(code) or names.get("en") or concept.split(":")[-1].replace("-", " ")

    def listed(self, concepts: list[str], limit: int | None = None) -> list[str]:
        """The concepts' names as written inside a sentence's list: each once, and a
        theme's name ("Gestion foncière") lower-cased like the glossary's words beside
        it, an acronym ("ODD 11") kept as it is."""
        names: dict[str, str] = {}
        for concept in concepts:
            name = self.label(concept)
            if name[1:2].islower():
                name = name[:1].lower() + name[1:]
            names.setdefault(name.casefold(), name)
        found = list(names.values())
        return found if limit is None else found[:limit]


# (the search vocabulary it was built from, the lexicon): rebuilt when that changes.
_cached: tuple[object, Lexicon] | None = None


def lexicon() -> Lexicon:
    """The lexicon of the current glossary and themes (two small queries to check)."""
    global _cached
    from library.models import Theme
    from search.models import GlossaryTerm

    vocabulary = search_query.vocabulary()
    if _cached is not None and _cached[0] is vocabulary:
        return _cached[1]
    keys = set(vocabulary.variants)
    parents = {}
    for key in keys:
        if key.startswith("theme:"):
            continue
        parts = key.split("-")
        found = [part for part in parts if part in keys and part != key]
        if len(parts) > 1 and "-".join(parts[1:]) in keys:
            found.append("-".join(parts[1:]))
        if found:
            parents[key] = sorted(set(found))
    labels: dict[str, dict[str, str]] = {}
    for term in GlossaryTerm.objects.all():
        labels[term.key] = {
            code: variants[0] for code, variants in term.variants().items() if variants
        }
    for theme in Theme.objects.all():
        labels[f"theme:{theme.key}"] = {
            code: getattr(theme, f"label_{code}") or theme.label for code in LANGUAGES
        }
    built = Lexicon(dict(vocabulary.index), parents, labels)
    _cached = (vocabulary, built)
    return built


def find_concepts(text: str, language_code: str, lex: Lexicon) -> Counter:
    """How many times each concept is named in `text`, written in `language_code`."""
    found: Counter = Counter()
    if not text:
        return found
    code = language_code if language_code in LANGUAGES else "en"
    stems = text_language.stems(text[:MAX_TEXT_CHARS], code)
    position = 0
    index = lex.index
    while position < len(stems):
        for size in range(min(MAX_PHRASE_WORDS, len(stems) - position), 0, -1):
            key = index.get((code, tuple(stems[position : position + size])))
            if key:
                found[key] += 1
                position += size
                break
        else:
            position += 1
    return found


def concept_counts(
    texts: list[tuple[str, str, float]],
    lex: Lexicon,
    *,
    themes=(),
    sdgs=(),
) -> dict[str, float]:
    """Weighted counts of concepts over several texts: (text, language, field weight)."""
    counts: Counter = Counter()
    for text, code, weight in texts:
        for key, times in find_concepts(text, code, lex).items():
            counts[key] += times * weight
            for parent in lex.parents.get(key, ()):
                counts[parent] += times * weight * PARENT_WEIGHT
    for theme in themes:
        counts[f"theme:{theme}"] += THEME_WEIGHT
    for number in sdgs:
        counts[f"sdg:{number}"] += SDG_WEIGHT
    return dict(counts)


def idf(frequency: int, total: int) -> float:
    """Inverse document frequency, smoothed: a concept nobody mentions yet weighs most."""
    return math.log((1 + total) / (1 + frequency)) + 1.0


def weigh(counts: dict[str, float], frequencies: dict[str, int], total: int) -> dict[str, float]:
    """tf-idf weights (tf dampened by a logarithm), normalised to a vector of length 1."""
    raw = {
        key: (1.0 + math.log(count)) * idf(frequencies.get(key, 0), total)
        for key, count in counts.items()
        if count > 0
    }
    # log(count) is negative below 1 (a parent concept named once): keep weights positive.
    raw = {key: max(value, 0.05) for key, value in raw.items()}
    norm = math.sqrt(sum(value * value for value in raw.values())) or 1.0
    return {key: value / norm for key, value in raw.items()}
