"""Demo data of matchmaking: the concept index of the demo experiences and needs.

Saving an experience or a need indexes it; the demo loaders of other parts may write
in bulk, so the index is rebuilt here, last (idempotent, a second at demo size).
"""

from learning.matching import index


def load_demo(stdout=None) -> None:
    experiences, needs = index.rebuild()
    if stdout is not None:
        stdout.write(
            f"learning: matchmaking index of {experiences} experiences and {needs} needs\n"
        )
