"""The shape of the package: folders that show the pipeline, and imports that go one way.

Each folder's `__init__.py` says what it may import; these tests hold the code to it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "atlas"
SHARED = {"atlas", "atlas.errors", "atlas.model"}

# folder -> the folders (or modules) it may import, besides itself and the shared modules
MAY_IMPORT = {
    "content": {"kinds"},
    "kinds": {"content.fields", "content.yamlfile", "maps", "render.present", "render.paging", "graph.gazetteer",
              "editing.values"},
    "graph": {"content", "kinds"},
    "maps": set(),
    "render": {"content", "graph", "maps", "kinds", "incremental.cache", "incremental.dependencies"},
    "publish": {"render"},
    "model": {"content.yamlfile"},
    "editing.values": {"content.fields", "content.yamlfile", "graph.gazetteer", "render.present"},
    "site": {"content", "graph", "render"},
    "timings": set(),
}


def modules() -> dict[str, ast.Module]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(("atlas",) + path.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")
        found[name] = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return found


def imports_of(tree: ast.Module, top_level_only: bool = False):
    """(module, names, line) for every `from atlas... import ...`."""
    nodes = tree.body if top_level_only else ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "atlas":
            yield node.module, [alias.name for alias in node.names], node.lineno


def folder_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "atlas"


def test_the_package_is_a_folder_per_stage_and_one_around_it():
    folders = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())
    assert folders == ["content", "editing", "graph", "incremental", "kinds", "maps", "publish", "render", "serve"]
    for folder in folders:
        docstring = ast.get_docstring(modules()[f"atlas.{folder}"])
        assert docstring and "import" in docstring, f"atlas/{folder}/__init__.py must say what it may import"


def test_every_module_says_what_it_is_for():
    for name, tree in modules().items():
        assert ast.get_docstring(tree), f"{name} has no docstring"


def test_no_module_imports_a_private_name_of_another():
    for name, tree in modules().items():
        for module, names, line in imports_of(tree):
            private = [n for n in names if n.startswith("_")]
            assert not private, f"{name}:{line} imports {private} from {module}"


@pytest.mark.parametrize("folder", sorted(MAY_IMPORT))
def test_each_stage_imports_only_earlier_stages(folder):
    allowed = MAY_IMPORT[folder]
    for name, tree in modules().items():
        if name.removeprefix("atlas.") != folder and folder_of(name) != folder and name != f"atlas.{folder}":
            continue
        for module, names, line in imports_of(tree):
            inner = module.removeprefix("atlas.")
            def allowed_name(target: str) -> bool:
                return any(target == a or target.startswith(a + ".") for a in allowed)

            ok = (module in SHARED or folder_of(module) == folder.split(".")[0] or allowed_name(inner)
                  or all(allowed_name(f"{inner}.{n}") for n in names))  # `from atlas.graph import gazetteer`
            assert ok, f"{name}:{line} imports {module}, which atlas/{folder} may not"


def test_no_import_cycles():
    graph = {name: {module for module, _, _ in imports_of(tree, top_level_only=True)}
             for name, tree in modules().items()}
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph.get(name, ())):
            if target not in graph:
                continue
            assert state.get(target) != 1, "import cycle: " + " -> ".join(path + [name, target])
            if target not in state:
                visit(target, path + [name])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])
