"""The shape of the code: small modules, no private names across modules, no
import cycles. (Read from the sources with ``ast``; nothing is imported.)"""

from __future__ import annotations

import ast

from .conftest import ROOT

PKG = ROOT / "vnreport_ie"
NOT_YET_SPLIT: set[str] = set()  # (batch.py is a package now)
PRIVATE_IMPORTS_LEFT: set[str] = set()


def _modules() -> dict[str, ast.Module]:
    out = {}
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return out


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(modules: dict[str, ast.Module], top_level_only: bool) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, tree in modules.items():
        is_package = (PKG / name.split(".", 1)[-1].replace(".", "/") / "__init__.py").exists() \
            if "." in name else True
        nodes = tree.body if top_level_only else list(ast.walk(tree))
        for node in nodes:
            if isinstance(node, ast.ImportFrom):
                target = _resolve(name, node, is_package)
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    graph[name].add(sub if sub in modules else target)
            elif isinstance(node, ast.Import):
                graph[name].update(a.name for a in node.names)
        graph[name] = {t for t in graph[name] if t in modules and t != name}
    return graph


def test_no_module_is_over_500_lines():
    long = [str(p.relative_to(ROOT)) for p in PKG.rglob("*.py")
            if p.name not in NOT_YET_SPLIT and len(p.read_text(encoding="utf-8").splitlines()) > 500]
    assert long == []


def test_no_private_name_is_imported_across_modules():
    found = []
    for name, tree in _modules().items():
        if name in PRIVATE_IMPORTS_LEFT:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("vnreport_ie")):
                found += [f"{name}: {alias.name}" for alias in node.names
                          if alias.name.startswith("_") and alias.name != "__version__"]
    assert found == []


def test_no_import_cycle():
    graph = _imports(_modules(), top_level_only=True)
    # (A package imports its own modules to re-export them: that edge is not a cycle.)
    for name in graph:
        graph[name] = {t for t in graph[name] if not t.startswith(name + ".")}
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []
