"""The package's shape, read from its source with ``ast``: no import circle, imports that point
down the data flow only, no module past a size a reader holds in mind (docs/architecture.md)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "parindex"
MAX_LINES = 600

# The stages in the order data flows; a module may import its own stage and those before it.
LAYERS = ("core", "framework", "plan", "scoring", "evidence",
          ("workbook", "analysis", "entry", "report"), "province", "cli")
TOP = len(LAYERS)  # modules directly in parindex/ (schema, reference, the API) see everything


def _rank(module: str) -> int:
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "parindex":
        raise AssertionError(module)
    if len(parts) == 2:
        return TOP
    for rank, layer in enumerate(LAYERS):
        if parts[1] in ((layer,) if isinstance(layer, str) else layer):
            return rank
    raise AssertionError(f"{module}: stage {parts[1]!r} is not in LAYERS")


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 else "<top>"


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(path: Path, known: dict[str, Path]) -> Iterator[tuple[str, int]]:
    """Package modules imported by ``path`` (at any depth: function-level imports count)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join([*base, node.module] if node.module else base)
            else:
                mod = node.module or ""
            # ``from pkg import sub`` imports the submodule sub when there is one.
            targets = [f"{mod}.{a.name}" if f"{mod}.{a.name}" in known else mod
                       for a in node.names]
        else:
            continue
        for target in targets:
            if target.startswith("parindex") and target in known and target != name:
                yield target, node.lineno


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: {t for t, _ in imports_of(path, known)} for name, path in known.items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_circle() -> None:
    cycle = find_cycle(graph())
    assert cycle is None, " → ".join(cycle or [])


def test_imports_point_down_the_data_flow() -> None:
    known = modules()
    upward = []
    for name, path in known.items():
        if name == "parindex":
            continue
        for target, line in imports_of(path, known):
            if target == "parindex":
                upward.append(f"{path.name}:{line} {name} imports the package root")
                continue
            same_tier = _rank(target) == _rank(name)
            sibling = same_tier and _stage(target) != _stage(name) and _rank(name) != TOP
            if _rank(target) > _rank(name) or sibling:
                upward.append(f"{path.relative_to(PACKAGE)}:{line} {name} → {target}")
    assert upward == []


def test_cli_commands_do_not_import_the_registry() -> None:
    edges = graph()
    importers = sorted(m for m, targets in edges.items() if "parindex.cli.app" in targets)
    assert importers == ["parindex.cli"]  # the entry point loads it lazily, in main()


@pytest.mark.parametrize("name", sorted(modules()))
def test_module_size(name: str) -> None:
    lines = modules()[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name}: {lines} lines (split it along its own seams)"


def test_the_checker_sees_a_circle_and_an_upward_import() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
    assert _rank("parindex.core.errors") < _rank("parindex.framework.model") < _rank(
        "parindex.cli.app") < _rank("parindex.schema")
    assert _rank("parindex.workbook.export") == _rank("parindex.analysis.gains")


def test_every_public_name_is_declared_once_and_loads() -> None:
    import parindex

    stub = (PACKAGE / "__init__.pyi").read_text(encoding="utf-8")
    declared = [a.name for node in ast.parse(stub).body if isinstance(node, ast.ImportFrom)
                for a in node.names]
    assert len(declared) == len(set(declared))
    assert sorted(parindex.__all__) == sorted(declared)
    init = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    code = ast.unparse([n for n in init.body if not (
        isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))])  # docstring aside
    assert not any(name in code for name in ("score_dossier", "export_workbook"))
    for name in declared:
        assert getattr(parindex, name) is not None
