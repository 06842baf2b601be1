"""The demo experiences, written for the demo (plausible, not claimed as real): those of the
four seed cities (`EXPERIENCES`, in `seed`), then more from the demo cities of every region
(`MORE_EXPERIENCES`, by region, written in short with `shape._x`). Each is
(city ref, original language, theme keys, SDG numbers, (start, end), offers peer learning,
{language: (title, summary, problem, approach, results, lessons)})."""

from .africa_americas import AFRICA, LATIN_AMERICA, NORTH_AMERICA
from .europe_asia import ASIA_PACIFIC, EURASIA, EUROPE, MIDDLE_EAST_WEST_ASIA
from .more_themes import MORE_THEMES
from .seed import EXPERIENCES  # noqa: F401

MORE_EXPERIENCES = [
    *AFRICA,
    *LATIN_AMERICA,
    *EUROPE,
    *EURASIA,
    *MIDDLE_EAST_WEST_ASIA,
    *ASIA_PACIFIC,
    *NORTH_AMERICA,
    *MORE_THEMES,
]
