"""Demo data of the learning programme, one module per part, loaded in this order."""

from importlib import import_module

PARTS: list[str] = [
    "demo.learning.needs",
    "demo.learning.partnerships",
    "demo.learning.groups",
    # Rebuilds the matchmaking index of everything above: stays last.
    "demo.learning.matching",
]


def load_demo(stdout=None) -> None:
    for name in PARTS:
        import_module(name).load_demo(stdout=stdout)
