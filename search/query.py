"""Turning what a reader typed into a query over the three languages.

A query is a list of groups that must all match; a group lists alternatives, any of
which may match. Each word that names a glossary concept or a theme becomes a group
of every variant of that concept in English, French and Spanish (each stemmed in its
own language); any other word is stemmed in each of the three languages, since the
reader's words may be in any of them. Syntax characters are not operators: only
words are kept, so quotes, `*`, `NEAR` or unbalanced parentheses cannot break a query.
"""

from dataclasses import dataclass, field

from django.db import connection

from . import language

# Longer input is cut: nobody types more, and it bounds the SQL we build.
MAX_QUERY_CHARS = 300
MAX_GROUPS = 10
MAX_PHRASE_WORDS = 4


@dataclass(frozen=True)
class Alternative:
    words: tuple[str, ...]
    # None: the language is unknown, the words are stemmed in each language.
    language: str | None = None

    def stemmed(self) -> set[tuple[str, ...]]:
        languages = [self.language] if self.language else language.LANGUAGES
        return {tuple(language.stem(w, code) for w in self.words) for code in languages}


@dataclass
class ParsedQuery:
    groups: list[list[Alternative]] = field(default_factory=list)
    # The concepts recognised, for showing "also searched: movilidad, mobility".
    concepts: list[str] = field(default_factory=list)

    def __bool__(self):
        return bool(self.groups)

    def all_stems(self) -> set[str]:
        """Every stem the query looks for, to highlight them in results."""
        found = set()
        for group in self.groups:
            for alternative in group:
                for phrase in alternative.stemmed():
                    found.update(phrase)
        return found


@dataclass
class Vocabulary:
    """Concepts by the stems of their variants, in each language."""

    # (language, stems of a variant) -> concept key
    index: dict[tuple[str, tuple[str, ...]], str] = field(default_factory=dict)
    variants: dict[str, list[Alternative]] = field(default_factory=dict)

    def add(self, key: str, terms: dict[str, list[str]]) -> None:
        alternatives = self.variants.setdefault(key, [])
        for code, phrases in terms.items():
            for phrase in phrases:
                phrase_words = tuple(language.words(phrase))
                if not phrase_words or len(phrase_words) > MAX_PHRASE_WORDS:
                    continue
                alternative = Alternative(phrase_words, code)
                if alternative not in alternatives:
                    alternatives.append(alternative)
                stems = tuple(language.stem(w, code) for w in phrase_words)
                self.index.setdefault((code, stems), key)

    def lookup(self, window: list[str]) -> str | None:
        for code in language.LANGUAGES:
            key = self.index.get((code, tuple(language.stem(w, code) for w in window)))
            if key:
                return key
        return None


_cached: tuple[tuple, Vocabulary] | None = None


def vocabulary() -> Vocabulary:
    """The glossary and the concepts the apps registered (the theme labels), rebuilt
    when any of them changes."""
    global _cached
    from . import registry
    from .models import GlossaryTerm

    sources = registry.concept_sources()
    # One statement: this is read before every search. Table names come from the models.
    glossary = GlossaryTerm._meta.db_table
    counts = [f"(SELECT count(*) FROM {glossary}), (SELECT max(updated_at) FROM {glossary})"]  # noqa: S608
    for model, _concepts in sources:
        table = model._meta.db_table
        counts.append(f"(SELECT count(*) FROM {table}), (SELECT max(id) FROM {table})")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(counts))
        version = tuple(cursor.fetchone())
    if _cached is not None and _cached[0] == version:
        return _cached[1]
    built = Vocabulary()
    for term in GlossaryTerm.objects.all():
        built.add(term.key, term.variants())
    for _model, concepts in sources:
        for key, variants in concepts():
            built.add(key, variants)
    _cached = (version, built)
    return built


def parse(
    text: str, vocabulary: Vocabulary | None = None, language_code: str | None = None
) -> ParsedQuery:
    """The groups of alternatives a query string asks for (empty if no words).

    `language_code` pins the reader's words to one language (the single-language
    baseline of the retrieval benchmark); by default they are tried in all three.
    """
    query_words = language.words((text or "")[:MAX_QUERY_CHARS])
    parsed = ParsedQuery()
    position = 0
    while position < len(query_words) and len(parsed.groups) < MAX_GROUPS:
        matched = None
        if vocabulary is not None:
            for size in range(min(MAX_PHRASE_WORDS, len(query_words) - position), 0, -1):
                key = vocabulary.lookup(query_words[position : position + size])
                if key:
                    matched = (key, size)
                    break
        if matched:
            key, size = matched
            group = [Alternative(tuple(query_words[position : position + size]))]
            group += vocabulary.variants[key]
            parsed.concepts.append(key)
            position += size
        else:
            group = [Alternative((query_words[position],), language_code)]
            position += 1
        parsed.groups.append(group)
    return parsed
