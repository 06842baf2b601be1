"""Words, stems and accents: how text in English, French and Spanish is indexed.

The same functions prepare indexed text and queries, so that both sides agree.
"""

import re
import unicodedata
from functools import cache, lru_cache

import Stemmer

LANGUAGES = ("en", "fr", "es")
STEMMER_NAMES = {"en": "english", "fr": "french", "es": "spanish"}
# Word characters, apostrophes split ("l'habitat" gives "l" and "habitat").
WORD = re.compile(r"\w+", re.UNICODE)

# Short function words that carry no meaning for search, in the three languages.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "the",
        "this",
        "that",
        "to",
        "was",
        "were",
        "with",
        "which",
        "who",
        "will",
        "not",
        "no",
        "our",
        "their",
        "they",
        "we",
        "you",
        "your",
        "than",
        "then",
        "there",
        "these",
        "those",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "cette",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "en",
        "est",
        "et",
        "il",
        "ils",
        "je",
        "la",
        "le",
        "les",
        "leur",
        "leurs",
        "lui",
        "ma",
        "mais",
        "me",
        "mes",
        "moi",
        "mon",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ou",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tu",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "y",
        "d",
        "l",
        "j",
        "n",
        "s",
        "c",
        "m",
        "t",
        "à",
        "été",
        "être",
        "sont",
        "al",
        "con",
        "como",
        "del",
        "el",
        "ella",
        "ellas",
        "ellos",
        "es",
        "esta",
        "este",
        "esto",
        "hay",
        "la",
        "las",
        "le",
        "les",
        "lo",
        "los",
        "mas",
        "más",
        "me",
        "mi",
        "mis",
        "muy",
        "nos",
        "o",
        "para",
        "pero",
        "por",
        "que",
        "se",
        "sin",
        "sobre",
        "su",
        "sus",
        "te",
        "tu",
        "un",
        "una",
        "uno",
        "unos",
        "unas",
        "y",
        "ya",
        "e",
        "u",
    ]
)


def fold(word: str) -> str:
    """Lower case without accents: "Planificación" gives "planificacion"."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The meaningful words of a text, lower case, in order."""
    return [w for w in WORD.findall((text or "").casefold()) if w not in STOPWORDS]


@cache
def _stemmer(language: str):
    return Stemmer.Stemmer(STEMMER_NAMES[language])


@lru_cache(maxsize=100_000)
def stem(word: str, language: str) -> str:
    """The accent-free Snowball stem of a lower-case word in `language`."""
    return fold(_stemmer(language).stemWord(word))


def stems(text: str, language: str) -> list[str]:
    return [stem(w, language) for w in words(text)]


def index_text(text: str, language: str) -> str:
    """Text as stored in the SQLite index: the stems, space separated."""
    return " ".join(stems(text, language))
