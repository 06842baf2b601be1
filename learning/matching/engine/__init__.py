"""The ranking of experiences and peer cities for a need, and of needs for an experience.

Two steps, so that it stays fast with 100,000 experiences:

1. Candidates: the experiences closest in meaning to the need (`search.semantic`: a
   sentence embedding of the need against every experience's, standardised within each
   language so that an answer in another language is not pushed out by weaker ones in
   the need's own), and those sharing its concepts: the need's text (any language)
   becomes a vector of concepts
   (`concepts`); the database sums, over the postings of those concepts only, the
   products of weights (a cosine between the two vectors) and returns the best
   CANDIDATES experiences. Very common concepts (named by more than a third of the
   experiences, in an index of 5,000 or more) are left out of this step when rarer ones
   are there: they would make
   the database read most of the index for little information; they still count in
   step 2.
2. Ranking: for each candidate, score = topic × (1 + bonuses) × penalties, where
   topic = SEMANTIC_SHARE × meaning + (1 − SEMANTIC_SHARE) × concepts: meaning is the
   standardised similarity brought to 0–1 (`_meaning_share`), concepts the exact cosine over
   every concept of the need (the glossary: a precise signal where it knows the words).
   The reasons name the shared concepts and quote the experience's sentence closest in
   meaning to the need. Each bonus comes with the reason shown to the reader:

   - same size class as the need's city: +0.10; small town facing a metropolis (or
     the reverse): -0.10;
   - a working language in common with the need (or its city): +0.05;
   - the same world region: +0.05; or a South-South pairing (both cities in Africa,
     Asia-Pacific, Latin America or the Middle East & West Asia, different regions):
     +0.05;
   - track record: +0.025 if the city has published two experiences or more; +0.05 if
     it has mentored a partnership that completed;
   - the city offers to host peer learning on this experience: +0.05.

   The context orders cases on the same topic; it does not lift a case on another
   angle above the one that answers the need.

   Set-aside suggestions (`SuggestionDismissal`) are never shown again for that need,
   and their reason lowers similar suggestions:

   - "not the same problem": the concepts the set-aside experience shared with the
     need count half in the need's vector (the match was on a side issue);
   - "too far": experiences of cities in the set-aside city's region, when that is
     not the need's region, × 0.6;
   - "different size": experiences of cities of the set-aside city's size class, when
     it is not the need's, × 0.6;
   - "no language in common": experiences written in the set-aside one's language
     whose city shares no working language with the need, × 0.6;
   - "already known": the other experiences of the same city × 0.5 (a set-aside peer
     city also leaves the list of peer cities);
   - "another reason": only the item itself goes.

The needs an experience answers (its page, and the notice to each need's followers when
it is published) are those at least NEED_MIN_MEANING close to it in meaning, ranked the
same way; before the experience has a vector, or without a model, those sharing its
concepts.

Peer cities are the cities of the ranked experiences: a city's score is its best
experience's plus 0.3 × its second best, so that a city with several answers comes
first among equals.

By stage: seeker (who is looking), candidates (step 1), context (the city's bonuses and
their reasons), dismissals (the penalties of set-aside suggestions), ranking (step 2 and
the peer cities), results (what is returned).
"""

from .candidates import (  # noqa: F401
    candidate_scores,
    exact_topics,
)
from .context import (  # noqa: F401
    track_records,
)
from .dismissals import (  # noqa: F401
    Profile,
    dismissal_profiles,
)
from .ranking import (  # noqa: F401
    needs_answered_by,
    suggest,
    suggestions_for_need,
)
from .results import (  # noqa: F401
    CitySuggestion,
    ExperienceSuggestion,
    NeedSuggestion,
    Suggestions,
    strength_label,
)
from .seeker import (  # noqa: F401
    Seeker,
    need_text,
    seeker_for_need,
    seeker_for_text,
    semantic_query,
)
