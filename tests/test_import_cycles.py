"""No import cycle among quizgen's modules: each layer may use the ones below it, never the reverse.

Every `import` and `from ... import` of a quizgen module counts, wherever it is written (at the top,
inside a function, in a `try`), since a lazy import is still a dependency: it merely runs later.
Imports under `if TYPE_CHECKING:` are left out: they never run, and naming a type from a higher
layer in an annotation is the sanctioned way to type a callback or a record without depending on
that layer; a cycle through them cannot fail at import time and does not tie the layers' code together.

`import quizgen.kinds` (or `from quizgen import kinds`) depends on the package's `__init__`;
`from quizgen.kinds import cloze` on the module `quizgen.kinds.cloze`. The parent packages that
Python initialises on the way are not counted: a package importing its own submodules would
otherwise always be a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "quizgen"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def runtime_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement in the tree, except those in the body of an `if TYPE_CHECKING:`."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and is_type_checking(node.test):
            for child in node.orelse:  # the `else:` of TYPE_CHECKING does run
                visit(child)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def base_of(node: ast.ImportFrom, importer: str) -> str:
    """The absolute module a `from ... import` reads from (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    package = importer if MODULES[importer].name == "__init__.py" else importer.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def imported_modules(importer: str) -> set[str]:
    """The quizgen modules that `importer` imports at run time."""
    tree = ast.parse(MODULES[importer].read_text(encoding="utf-8"), filename=str(MODULES[importer]))
    targets: set[str] = set()
    for node in runtime_imports(tree):
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names if alias.name in MODULES}
            continue
        base = base_of(node, importer)
        for alias in node.names:
            # `from quizgen.kinds import cloze` names a submodule; `from quizgen.kinds import KINDS` the package.
            submodule = f"{base}.{alias.name}"
            if submodule in MODULES:
                targets.add(submodule)
            elif base in MODULES:
                targets.add(base)
    targets.discard(importer)
    return targets


def import_graph() -> dict[str, set[str]]:
    return {name: imported_modules(name) for name in MODULES}


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's components with more than one module (a cycle each), in a stable order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return sorted(components)


def a_cycle(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """One closed path through the component, first module first and last: a -> b -> ... -> a."""
    members = set(component)
    start = component[0]
    paths = {start: [start]}
    frontier = [start]
    while frontier:  # breadth first, so the path printed is a shortest one back to the start
        following = []
        for node in frontier:
            for target in sorted(graph[node] & members):
                if target == start:
                    return paths[node] + [start]
                if target not in paths:
                    paths[target] = paths[node] + [target]
                    following.append(target)
        frontier = following
    raise AssertionError(f"no cycle through {component}")


def test_the_graph_sees_every_module_and_real_imports():
    """The walk is not vacuous: it finds the modules, a lazy import and a relative or package import."""
    graph = import_graph()
    assert {"quizgen.cli", "quizgen.kinds", "quizgen.kinds.base", "quizgen.load.yamlio"} <= set(graph)
    assert "quizgen.render.stats" in graph["quizgen.cli"]  # imported inside the `stats` command
    assert "quizgen.kinds" in graph["quizgen.render.stats"]  # `from quizgen.kinds import KINDS`: the __init__


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}
    assert strongly_connected(graph) == [["a", "b", "c"]]
    assert a_cycle(graph, ["a", "b", "c"]) == ["a", "b", "c", "a"]


def test_quizgen_has_no_import_cycle():
    graph = import_graph()
    cycles = [
        f"{' -> '.join(a_cycle(graph, component))}  (tangled together: {', '.join(component)})"
        for component in strongly_connected(graph)
    ]
    assert cycles == [], "import cycles:\n" + "\n".join(cycles)
