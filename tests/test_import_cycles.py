"""No module of kyosai/ imports another that imports it back, even inside a function.

The import graph comes from grimp (installed with import-linter): every `import` statement of
every module, at the top, inside functions and under TYPE_CHECKING alike. Test modules are left
out. A cycle is broken by moving the shared piece down a layer, passing a callable or sending a
Django signal (docs/architecture.md), never by a lazy import, which this test sees through.
"""

from collections import deque
from collections.abc import Mapping, Set

import grimp
import pytest

#: Cycles known and being fixed elsewhere, each named by its modules. An entry whose cycle is
#: gone fails the test too: remove it with the fix.
ALLOWED_CYCLES: dict[frozenset[str], str] = {}


def _is_test(module: str) -> bool:
    return ".tests" in module or module.startswith("tests.")


def import_graph(package: str = "kyosai") -> dict[str, set[str]]:
    """module → the package's modules it imports (test modules and self-imports left out)."""
    graph = grimp.build_graph(package, cache_dir=None)
    modules = {m for m in graph.modules if not _is_test(m)}
    return {m: (graph.find_modules_directly_imported_by(m) & modules) - {m} for m in modules}


def strongly_connected(edges: Mapping[str, Set[str]]) -> list[frozenset[str]]:
    """The groups of two or more modules that reach one another (Tarjan, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[frozenset[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [(root, sorted(edges[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, pending = work[-1]
            if pending:
                child = pending.pop()
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, sorted(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group: set[str] = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(frozenset(group))
    return groups


def a_cycle(edges: Mapping[str, Set[str]], group: frozenset[str]) -> list[str]:
    """One shortest cycle through the group's first module: a → … → a."""
    start = min(group)
    previous: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in sorted(edges[node] & group):
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(previous[path[-1]])
                return [*reversed(path), start]
            if child not in previous:
                previous[child] = node
                queue.append(child)
    raise AssertionError(f"no cycle in {sorted(group)}")  # a strongly connected group has one


def describe(edges: Mapping[str, Set[str]], group: frozenset[str]) -> str:
    return " → ".join(a_cycle(edges, group)) + f"（{len(group)} modules）"


@pytest.fixture(scope="module")
def edges() -> dict[str, set[str]]:
    return import_graph()


def test_no_module_imports_one_that_imports_it_back(edges: dict[str, set[str]]) -> None:
    assert len(edges) > 100  # the whole package was read
    cycles = [group for group in strongly_connected(edges) if group not in ALLOWED_CYCLES]
    assert not cycles, "import cycles:\n" + "\n".join(describe(edges, g) for g in cycles)


def test_every_allowed_cycle_still_exists(edges: dict[str, set[str]]) -> None:
    found = set(strongly_connected(edges))
    stale = [why for group, why in ALLOWED_CYCLES.items() if group not in found]
    assert not stale, f"fixed: remove from ALLOWED_CYCLES: {stale}"


def test_the_search_finds_and_names_a_cycle_made_inside_functions() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}, "f": {"d"}}
    groups = strongly_connected(edges)
    assert groups == [frozenset({"a", "b", "c"})]
    assert a_cycle(edges, groups[0]) == ["a", "b", "c", "a"]
    assert describe(edges, groups[0]) == "a → b → c → a（3 modules）"


def test_two_modules_importing_each_other_are_one_cycle() -> None:
    edges = {"x.tables": {"x.meetings"}, "x.meetings": {"x.tables"}, "x.other": {"x.tables"}}
    assert strongly_connected(edges) == [frozenset({"x.tables", "x.meetings"})]
    assert a_cycle(edges, frozenset({"x.tables", "x.meetings"})) == [
        "x.meetings", "x.tables", "x.meetings"]
