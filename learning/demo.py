"""Demo data of the learning programme, one module per part, loaded in this order."""

from importlib import import_module

# Matchmaking indexes what the other parts wrote: it stays last.
PARTS: list[str] = ["learning.demo_matching"]


def load_demo(stdout=None) -> None:
    for name in PARTS:
        import_module(name).load_demo(stdout=stdout)
