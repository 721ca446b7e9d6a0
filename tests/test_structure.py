"""The package's shape, read from its source: no import cycles, stages in one direction, a public API.

Every ``import`` of an ``eventledger`` module counts, at module level, inside functions (a lazy import
is still a dependency) and under ``if TYPE_CHECKING:``. Stages may import the stages below them and
their own package, never one above (the order is docs/architecture.md's).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "eventledger"

# lowest first; a module of one layer imports only modules of its own layer or of layers below
LAYERS: list[set[str]] = [
    {"version", "errors", "records", "shipped"},  # records, errors and shipped files shared by every stage
    {"normalize"},  # text, language, HTML → text, personal data out, publication days
    {"aggregate"},  # calendars and periods
    {"geocode"},
    {"outlets"},
    {"learn"},  # trainable classifier and gate (no store)
    {"extract"},  # codebook and coder
    {"resolve"},  # mentions → events (pure)
    {"store"},
    {"sources"},  # readers and fetchers (files, feeds, pages, Telegram, archive, fetch state)
    {"pipeline", "evaluate", "cluster"},  # cluster: the pipeline's batches coded on Dask workers
    {"watch", "recode", "review", "report", "accounts", "demo", "releases"},
    {"admin"},  # audited changes to users, tokens, sources, outlets (over accounts and review)
    {"web", "cli", "__main__"},
]
LAYER_OF = {stage: i for i, layer in enumerate(LAYERS) for stage in layer}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in SRC.rglob("*.py")}


def _imports(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module → the eventledger modules it imports (``from a.b import c`` counts ``a.b.c`` when that is a module)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base_name = ".".join(base + ([node.module] if node.module else []))
                else:
                    base_name = node.module or ""
                targets = [
                    f"{base_name}.{a.name}" if f"{base_name}.{a.name}" in modules else base_name
                    for a in node.names
                ]
            for t in targets:
                while t and t not in modules:
                    t = t.rpartition(".")[0]
                if t.startswith("eventledger") and t != name:
                    graph[name].add(t)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    nodes = sorted(set(graph) | {t for ts in graph.values() for t in ts})
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            v, children = work[-1]
            for w in children:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph.get(w, ())))))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
    return out


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "eventledger"


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return _imports(_modules())


def test_no_module_imports_itself_through_others(graph: dict[str, set[str]]):
    assert _cycles(graph) == []


def test_stage_packages_form_a_one_way_order(graph: dict[str, set[str]]):
    # the package's __init__ is the public API: it may import any stage, and no stage imports it
    inner = {m: {t for t in ts if t != "eventledger"} for m, ts in graph.items() if m != "eventledger"}
    assert not any("eventledger" in ts for m, ts in graph.items() if m != "eventledger"), (
        "import eventledger.version"
    )
    stages: dict[str, set[str]] = defaultdict(set)
    for m, ts in inner.items():
        stages[_stage(m)].update(_stage(t) for t in ts if _stage(t) != _stage(m))
    assert _cycles(stages) == []
    unplaced = sorted((set(stages) | {t for ts in stages.values() for t in ts}) - set(LAYER_OF))
    assert unplaced == [], f"stages missing from LAYERS: {unplaced}"
    upward = sorted(
        f"{m} -> {t}" for m, ts in inner.items() for t in ts if LAYER_OF[_stage(t)] > LAYER_OF[_stage(m)]
    )
    assert upward == []


def test_the_cycle_finder_finds_cycles():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
