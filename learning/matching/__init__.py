"""Matchmaking: from a city's need to the experiences and peer cities that answer it.

- `concepts`: text in English, French or Spanish to language-independent concepts
  (the search glossary's urban-policy terms, themes, SDGs);
- `index`: the concept tables (an inverted index) of experiences and needs;
- `engine`: candidates from the index, then an explainable ranking with reasons;
- `services`: setting a suggestion aside; `importing`: the JSON Lines import.
"""
