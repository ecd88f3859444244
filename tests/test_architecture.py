"""The shape of the package: stages import one way, down the pipeline, with no cycle and no private name.

Every ``import`` counts, at module level or inside a function (an import inside
a function is not a way around a cycle), ``if TYPE_CHECKING:`` blocks included.
"""
from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "leakopt"

#: The pipeline, upstream first.  A module may import its own stage and the stages before it.
LAYERS = [
    {"errors", "schema", "i18n", "config"},
    {"io"},
    {"validate", "optimize"},
    {"synth"},
    {"risk"},
    {"consequence"},
    {"placement"},
    {"renewal"},
    {"report"},
    {"distributed"},
    {"pipeline"},
    {"cli", "__main__", "app"},
]
RANK = {stage: i for i, layer in enumerate(LAYERS) for stage in layer}

#: The public import paths that users and the documentation rely on.
PUBLIC_API = {
    "leakopt.io": ["read_pipes", "read_leaks", "read_network", "write_json", "write_utility", "open_pooled"],
    "leakopt.validate": ["validate", "load_utility", "ValidateConfig", "ValidationReport"],
    "leakopt.risk": ["RiskModel", "RiskConfig", "score_pipes", "build_panel", "features_at", "hydraulic_features",
                     "priority_zone", "PriorityConfig", "backtest", "BacktestConfig", "plot_capture", "PoissonGlm"],
    "leakopt.consequence": ["consequence_of_failure", "ConsequenceConfig", "valve_segments", "assumed_valves",
                            "add_business_risk", "risk_matrix"],
    "leakopt.placement": ["build_coverage", "CoverageConfig", "place_sensors", "PlacementConfig", "build_model",
                          "solve", "summarize", "tradeoff_curve", "PressureConfig", "place_pressure_sensors"],
    "leakopt.optimize": ["SparseMip", "solve_mip", "SolveInfo", "solve_problem"],
    "leakopt.renewal": ["plan_renewal", "RenewalConfig", "rule_plan"],
    "leakopt.report": ["write_report", "ReportConfig", "load_run"],
    "leakopt.synth": ["synthesize", "write_synth", "SynthConfig", "true_rate"],
    "leakopt.distributed": ["train_distributed", "write_pooled", "fit_local"],
    "leakopt.pipeline": ["run", "load", "write_sensors"],
}


def _modules() -> dict[str, Path]:
    mods = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        mods[name] = path
    return mods


def _imports(name: str, path: Path, mods: dict[str, Path]):
    """(target module, imported name or None, line) for every leakopt import of a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "leakopt":
                    yield alias.name, None, node.lineno
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([module] if module else []))
            if module.split(".")[0] != "leakopt":
                continue
            for alias in node.names:
                full = f"{module}.{alias.name}"
                yield (full, None, node.lineno) if full in mods else (module, alias.name, node.lineno)


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "leakopt"


def _graph():
    mods = _modules()
    edges, problems = {m: set() for m in mods}, []
    for name, path in mods.items():
        for target, imported, line in _imports(name, path, mods):
            where = f"{path.relative_to(PACKAGE.parent)}:{line}"
            if target not in mods:
                problems.append(f"{where} imports {target}, which is not a leakopt module")
                continue
            if target != name:
                edges[name].add(target)
            if imported and imported.startswith("_") and not imported.startswith("__"):
                problems.append(f"{where} imports the private name {imported} from {target}")
    return mods, edges, problems


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state, stack = {}, []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_every_module_is_in_a_known_stage():
    mods = _modules()
    unknown = sorted({_stage(m) for m in mods} - set(RANK) - {"leakopt"})
    assert not unknown, f"modules outside the stages of tests/test_architecture.py: {unknown}"


def test_no_import_cycle_and_no_private_import():
    _, edges, problems = _graph()
    assert not problems, "\n".join(problems)
    cycle = _cycle(edges)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_stages_import_down_the_pipeline_only():
    mods, edges, _ = _graph()
    wrong = []
    for name, targets in edges.items():
        for target in targets:
            src, dst = _stage(name), _stage(target)
            if src == "leakopt" or dst == "leakopt" or src == dst:
                continue   # the package's __init__ (version, errors) is shared by all
            shared = RANK[src] in (0, len(LAYERS) - 1)   # the shared modules; the entry points
            if RANK[dst] > RANK[src] or (RANK[dst] == RANK[src] and not shared):
                wrong.append(f"{name} ({src}) imports {target} ({dst})")
    assert not wrong, "imports against the pipeline:\n" + "\n".join(sorted(wrong))


def test_each_stage_package_says_what_it_does():
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc.split()) >= 15, f"{init} needs a docstring saying what the stage does"


@pytest.mark.parametrize("module", sorted(PUBLIC_API))
def test_public_import_paths(module):
    mod = importlib.import_module(module)
    missing = [name for name in PUBLIC_API[module] if not hasattr(mod, name)]
    assert not missing, f"{module} no longer exports {missing}"
    if hasattr(mod, "__all__"):
        assert set(PUBLIC_API[module]) <= set(mod.__all__)


def test_import_leakopt_stays_light():
    code = ("import sys, leakopt, leakopt.cli; "
            "heavy = [m for m in ('lightgbm', 'wntr', 'pulp', 'streamlit', 'highspy', 'matplotlib', 'dask', "
            "'geopandas', 'sklearn') if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"import leakopt / leakopt.cli pulls in heavy packages: {out.stdout}"


def test_the_checker_finds_a_cycle_and_a_private_import():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_top_level_holds_only_what_every_stage_shares():
    allowed = {"__init__", "__main__", "cli", "pipeline", "config", "schema", "errors", "i18n"}
    top = {p.stem for p in PACKAGE.glob("*.py")} | {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    stages = set(RANK) - {"errors", "schema", "i18n", "config", "cli", "__main__"}
    assert top <= allowed | stages, f"top-level modules that belong in a stage package: {sorted(top - allowed - stages)}"
