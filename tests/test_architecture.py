"""The package's structure: one package per stage, imports only from earlier stages, no cycle.

Every import is counted, those inside functions too (a lazy import is still a dependency)."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "alignment"

#: the stages, first to last: a module may import from its own stage and earlier ones
STAGES = ["errors", "text", "iri", "files", "terms", "model", "sources", "readers", "links", "graph",
          "store", "pipeline", "questions", "output", "cli"]


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Each module of the package, and the package modules it imports."""
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    out: dict[str, set[str]] = {}
    for name, path in modules.items():
        deps: set[str] = set()
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(up + ([base] if base else []))
                targets = [f"{base}.{a.name}" for a in node.names] + [base]
            for t in targets:
                while t and t not in modules:
                    t = t.rpartition(".")[0]
                if t and t != name and t != "alignment":
                    deps.add(t)
        out[name] = deps
    return out


def _stage(module: str) -> int:
    head = module.split(".")[1] if "." in module else ""
    return STAGES.index(head)


def test_every_module_belongs_to_a_stage() -> None:
    unknown = [m for m in _imports() if m != "alignment" and m.split(".")[1] not in STAGES]
    assert unknown == []


def test_no_import_cycle() -> None:
    g = nx.DiGraph([(m, d) for m, deps in _imports().items() for d in deps])
    cycles = list(nx.simple_cycles(g))
    assert cycles == [], f"import cycles: {cycles}"


@pytest.mark.parametrize("module", sorted(m for m in _imports() if m != "alignment"))
def test_imports_only_from_earlier_stages(module: str) -> None:
    later = sorted(d for d in _imports()[module] if _stage(d) > _stage(module))
    assert later == [], f"{module} imports from later stages: {later}"
