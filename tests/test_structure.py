"""The package's layout: imports flow one way along the data flow, modules stay small, and
importing the package stays cheap."""

from __future__ import annotations

import ast
import io
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "perceptiongap"

# The data flow of DESIGN.md, upstream first. A module may import modules of its own stage or
# of earlier stages, never of a later one; within a stage the import graph has no cycle.
STAGES: tuple[tuple[str, ...], ...] = (
    ("_visible", "errors", "_version", "_checks", "_files"),
    ("_scales", "_questionnaire_files", "_questionnaire"),
    (
        "_arrays",
        "_cells",
        "_answers",
        "_reader_checks",
        "_row_rules",
        "_readers",
        "_csv_bytes",
        "_read_csv",
        "_summary",
        "_responses",
        "datasets",
    ),
    ("_tally",),
    ("_resampling",),
    ("_statistics",),
    ("_intervals", "_analytic", "_rank_sets", "_scalar_intervals"),
    ("_serialise", "_results", "_schema1", "_report", "_notes"),
    (
        "_options",
        "_procedures",
        "_analysis",
        "_summary_analysis",
        "_contrasts",
        "_assemble",
        "_segments",
        "_compare",
    ),
    ("render", "plot"),
    ("_cli_parser", "cli", "__main__", "__init__"),
)
MAX_CODE_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(parts)
        found[name] = path
    return found


def _stage(module: str) -> int:
    head = module.split(".")[0]
    for index, stage in enumerate(STAGES):
        if head in stage:
            return index
    raise AssertionError(f"module {module!r} is in no stage of STAGES; add it where it belongs")


def _imports(module: str, path: Path, known: set[str]) -> set[str]:
    """The package modules `module` imports (at any depth of its code)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module.split(".")[:-1] if path.name != "__init__.py" else module.split(".")
    if module == "__init__":
        package = []
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                target = [*base, *(node.module.split(".") if node.module else [])]
            elif node.module and node.module.startswith("perceptiongap"):
                target = node.module.split(".")[1:]
            else:
                continue
            for alias in node.names:
                candidate = ".".join([*target, alias.name])
                found.add(candidate if candidate in known else ".".join(target) or "__init__")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("perceptiongap."):
                    found.add(alias.name.removeprefix("perceptiongap."))
    return {name for name in found if name != module and name in known | {"__init__"}}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def test_every_module_belongs_to_a_stage() -> None:
    """Each module of the package has its place in the data flow."""
    for module in _modules():
        _stage(module)


def test_imports_never_run_against_the_data_flow() -> None:
    """No module imports one of a later stage (say the report importing its renderers)."""
    backwards = [
        f"{module} -> {target}"
        for module, targets in _graph().items()
        for target in targets
        if _stage(target) > _stage(module)
    ]
    assert backwards == []


def test_there_is_no_import_cycle() -> None:
    """The import graph of the package's modules is acyclic (sub-packages import their own
    modules from their __init__, which is not a cycle unless a module imports it back)."""
    graph = _graph()
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                cycle = [*trail[trail.index(target) :], target] if target in trail else [target]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target, [*trail, target])
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node, [node])


def test_the_cycle_detector_finds_a_cycle(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cycle test would fail on a cycle (so it cannot pass vacuously)."""
    monkeypatch.setattr(
        sys.modules[__name__], "_graph", lambda: {"a": {"b"}, "b": {"c"}, "c": {"a"}}
    )
    with pytest.raises(AssertionError, match="import cycle: a -> b -> c -> a"):
        test_there_is_no_import_cycle()


def _code_lines(path: Path) -> int:
    """Lines holding code: no blank lines, comments or docstrings."""
    source = path.read_text(encoding="utf-8")
    docstrings: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first = node.body[0] if node.body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                docstrings.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT}
    lines: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in skip or token.type == tokenize.ENDMARKER:
            continue
        lines.update(n for n in range(token.start[0], token.end[0] + 1) if n not in docstrings)
    return len(lines)


def test_no_module_is_over_400_code_lines() -> None:
    """One concept per module keeps each small (docstrings do not count)."""
    sizes = {name: _code_lines(path) for name, path in _modules().items()}
    assert {name: size for name, size in sizes.items() if size > MAX_CODE_LINES} == {}


def test_importing_the_package_imports_no_scipy_stats_and_no_extra() -> None:
    """`import perceptiongap` stays cheap: no scipy.stats, matplotlib, pandas or polars."""
    heavy = ("scipy.stats", "matplotlib", "pandas", "polars", "pyarrow", "duckdb")
    code = (
        "import sys, perceptiongap, perceptiongap.cli; "
        f"print([m for m in {heavy!r} if m in sys.modules])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_command_line_uses_public_names_only() -> None:
    """cli.py and its argument parser import nothing private of the package (the command
    line is a client of the public API)."""
    graph = _graph()
    private = [
        f"{module} -> {name}"
        for module in ("cli", "_cli_parser")
        for name in graph[module]
        if name not in ("__init__", "_cli_parser")
        and any(p.startswith("_") for p in name.split("."))
    ]
    assert private == []


def test_an_analysis_imports_no_scipy_stats() -> None:
    """compare() on respondents (both bootstrap draw paths) and on summary data never needs
    scipy.stats: the formulas come from scipy.special."""
    code = """
import sys, warnings
import numpy as np
import perceptiongap as pg
warnings.simplefilter("ignore")
q = pg.Questionnaire(items=["a", "b", "c"], scale=pg.Binary(), groups=("x", "y"))
rng = np.random.default_rng(0)
values = (rng.random((20000, 3)) < [0.2, 0.5, 0.7]).astype(float)  # few patterns: Poisson path
rs = pg.ResponseSet.from_arrays(q, values, ["x", "y"] * 10000)
pg.compare(rs, "x", "y", n_resamples=300, rng=1)
pg.compare(pg.datasets.load_example(), "customer", "business", n_resamples=300, rng=1)
pg.compare(pg.datasets.load_published(), "customer", "business", n_resamples=300, rng=1)
print("scipy.stats" in sys.modules)
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
