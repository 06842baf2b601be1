"""The layering of the apps, as data, and the figures that tell how far the code is from it.

`LAYERS` says which app sits where: an app may import the apps of lower layers, never
those of its own layer or higher ones, except the pairs in `KNOWN_CROSSINGS`, each with
the reason it exists today. `ARCHITECTURE.md` explains the layers; the test in
`ops/tests/test_architecture.py` fails when an import crosses them without being listed
(and when a listed crossing is gone, so that the list only shrinks).
`manage.py architecture` prints the measures: crossings, import cycles between modules,
modules over 600 lines, lines per app.

Tests and migrations are left out. The demo world with its generators (`demo`) and the
benchmarks (`benchmarks`) are apps of their own on top of every other: they build data
across all the product apps, and none of those may import them.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# From the bottom up. `entrevilles` is the project package: its shared helpers are the
# foundation; its settings and URL map, which name every app, are the top (`PROJECT_TOP`).
LAYERS: list[tuple[str, ...]] = [
    ("entrevilles",),
    ("audit",),
    ("accounts",),
    ("uploads",),
    # Engines that know no domain: the apps register their entries and targets with them.
    ("search", "notifications"),
    ("network",),
    ("commissions",),
    ("meetings", "library"),
    ("actions",),
    ("learning",),
    ("circulars",),
    ("privacy", "api", "ops"),
    # Not the product: they may import every app above, and no app imports them.
    ("demo",),
    ("benchmarks",),
]
PROJECT_TOP = {
    "entrevilles/settings.py",
    "entrevilles/urls.py",
    "entrevilles/start.py",
    "entrevilles/views.py",
}

# Imports that cross the layers today, each with why; removing one is progress (the test
# then asks to remove it from this list too).
KNOWN_CROSSINGS: dict[tuple[str, str], str] = {
    ("audit", "accounts"): "who may read an audit entry is asked of accounts' scopes",
    # Same-layer or upward links between domains, for pages that show both.
    ("library", "actions"): "a document can be linked to actions (forms, pages, API)",
    ("library", "meetings"): "a document can be linked to a meeting (forms, pages, API)",
    ("meetings", "actions"): "a meeting page lists the actions of its decisions",
    ("meetings", "learning"): "a meeting page lists the learning groups it hosted",
    ("meetings", "library"): "the meeting's document picker lists library documents",
    ("network", "commissions"): "the directory's filter offers the commissions",
}


def app_names() -> list[str]:
    return [name for layer in LAYERS for name in layer]


def layer_of(app: str) -> int:
    return next(n for n, layer in enumerate(LAYERS) if app in layer)


def product_files(root: Path = ROOT) -> list[Path]:
    """The apps' Python modules (not tests, migrations or translations)."""
    found = []
    for app in app_names():
        for path in sorted((root / app).rglob("*.py")):
            parts = path.relative_to(root).parts
            if {"tests", "migrations", "locale"} & set(parts) or path.stem == "conftest":
                continue
            found.append(path)
    return found


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path, root: Path = ROOT) -> set[str]:
    """The modules a file imports (absolute names; relative imports resolved)."""
    package = module_name(path, root).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            found.add(module)
            # `from . import services` names a module too.
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


@dataclass
class Report:
    crossings: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    cycles: list[list[str]] = field(default_factory=list)
    long_modules: list[tuple[str, int]] = field(default_factory=list)
    lines_per_app: dict[str, int] = field(default_factory=dict)


def crossing(source: str, target: str) -> bool:
    return source != target and layer_of(target) >= layer_of(source)


def measure(root: Path = ROOT) -> Report:
    report = Report()
    apps = set(app_names())
    files = product_files(root)
    modules = {module_name(path, root): path for path in files}
    graph: dict[str, set[str]] = defaultdict(set)
    crossings: dict[tuple[str, str], set[str]] = defaultdict(set)
    lines: dict[str, int] = defaultdict(int)
    for name, path in modules.items():
        relative = path.relative_to(root).as_posix()
        app = name.split(".")[0]
        count = len(path.read_text(encoding="utf-8").splitlines())
        lines[app] += count
        if count > 600:
            report.long_modules.append((relative, count))
        for imported in imports_of(path, root):
            if imported in modules and imported != name:
                graph[name].add(imported)
            target = imported.split(".")[0]
            if target in apps and relative not in PROJECT_TOP and crossing(app, target):
                crossings[(app, target)].add(relative)
    report.crossings = {pair: sorted(files) for pair, files in crossings.items()}
    report.cycles = _cycles(graph)
    report.long_modules.sort(key=lambda item: -item[1])
    report.lines_per_app = dict(sorted(lines.items(), key=lambda item: -item[1]))
    return report


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return sorted(found, key=lambda component: (-len(component), component))
