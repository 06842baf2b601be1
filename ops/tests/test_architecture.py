"""The layering of the apps, as data (ops/architecture.py): a new import across the layers
fails, and so does a listed crossing that no longer exists (the list only shrinks)."""

from ops import architecture


def test_no_app_imports_one_above_it_unless_the_crossing_is_known_and_explained():
    found = architecture.measure().crossings
    new = {pair: files for pair, files in found.items() if pair not in architecture.KNOWN_CROSSINGS}
    assert new == {}, (
        "These imports cross the layers of ARCHITECTURE.md: import the other way, move the "
        f"code to the app that owns it, or (with a reason) list the pair in KNOWN_CROSSINGS: {new}"
    )


def test_every_known_crossing_still_exists_so_that_a_removed_one_leaves_the_list():
    found = architecture.measure().crossings
    gone = sorted(set(architecture.KNOWN_CROSSINGS) - set(found))
    assert gone == [], f"These crossings are gone: remove them from KNOWN_CROSSINGS: {gone}"


def test_the_measure_sees_an_upward_import_and_a_cycle(tmp_path):
    (tmp_path / "audit").mkdir()
    (tmp_path / "learning").mkdir()
    (tmp_path / "audit" / "log.py").write_text("from learning import needs\n")
    (tmp_path / "learning" / "needs.py").write_text("from learning.matching import rank\n")
    (tmp_path / "learning" / "matching.py").write_text("from . import needs\n")

    report = architecture.measure(tmp_path)

    assert report.crossings == {("audit", "learning"): ["audit/log.py"]}
    assert report.cycles == [["learning.matching", "learning.needs"]]


def test_the_only_import_cycles_are_a_module_and_the_tasks_it_enqueues():
    # A service enqueues its app's task after commit, and the task calls the service back:
    # that pair is the one cycle allowed. Any other is code to move, not an import to hide
    # in a function (function-level imports are counted too).
    def allowed(cycle: list[str]) -> bool:
        if len(cycle) != 2 or cycle[0].split(".")[0] != cycle[1].split(".")[0]:
            return False
        return any(module.endswith(".tasks") for module in cycle)

    others = [cycle for cycle in architecture.measure().cycles if not allowed(cycle)]
    assert others == [], f"Break these import cycles between modules: {others}"
