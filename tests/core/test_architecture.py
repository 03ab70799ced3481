"""Imports point one way along the pipeline, so each stage can be read (and cached) alone."""

from __future__ import annotations

import ast
from pathlib import Path

import newsforge

PACKAGE = Path(newsforge.__file__).parent

# Lower layers never import higher ones; a stage never reaches forward into the pipeline.
LAYERS = [
    {"newsforge", "__version__", "model"},
    {"errors"},
    {"config", "langdata", "workers"},
    {"loader"},
    {"tagger"},
    {"urls"},
    {"site", "structured", "charts"},
    {"theme", "render"},
    {"output", "report", "cache", "search"},
    {"uptodate", "analysis"},
    {"build"},
    {"watch", "server", "inspect", "scaffold"},
    {"cli", "__main__"},
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def _unit(dotted: str) -> str:
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(
                "newsforge"):
            if node.module == "newsforge":
                found.update(f"newsforge.{alias.name}" for alias in node.names)
            else:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("newsforge"))
    return found


def _module_unit(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0].removesuffix(".py") if len(relative.parts) > 1 else \
        relative.stem if relative.stem != "__init__" else "newsforge"


def test_every_module_has_a_layer() -> None:
    units = {_module_unit(p) for p in PACKAGE.rglob("*.py")}
    assert units <= set(RANK), f"give these a layer: {sorted(units - set(RANK))}"


def test_imports_point_down_the_pipeline() -> None:
    backwards = []
    for path in sorted(PACKAGE.rglob("*.py")):
        unit = _module_unit(path)
        for imported in _imports(path):
            target = _unit(imported)
            if target != unit and RANK[target] > RANK[unit]:
                backwards.append(f"{path.relative_to(PACKAGE)} imports {imported}")
    assert not backwards, "\n".join(backwards)


def test_the_records_import_nothing_of_ours() -> None:
    assert _imports(PACKAGE / "model.py") == set()
