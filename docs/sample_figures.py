"""Write the sample figures quoted in README.md and docs/benchmarks.md from ``leakopt demo``'s output.

Usage, from the root of a clone::

    python docs/sample_figures.py                     # run `leakopt demo` in a temporary folder, rewrite the blocks
    python docs/sample_figures.py DEMO_DIR            # the same from an existing `leakopt demo --out DIR`
    python docs/sample_figures.py DEMO_DIR --check    # exit 1, with a diff, when a block differs from DEMO_DIR

Each generated block sits between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``:

* ``sample-figures`` in README.md: the key figures on the shipped sample utility;
* ``sample-backtest`` in docs/benchmarks.md: the sample's backtest table, every ranking and level.

Every figure is read from a file the demo writes (``priority.json``, ``backtest.json``,
``placement.json``, ``renewal.json``, ``validation.json``) and only formatted here, never recomputed,
so the documents say what the program prints. ``tests/test_readme_figures.py`` runs the check.
Only the standard library is used: the script does not import leakopt.
"""
from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTE = ("<!-- Written by `python docs/sample_figures.py` from `leakopt demo`'s output files: "
        "edit that script, not this block. -->")
OUTPUT_FILES = ("priority.json", "backtest.json", "placement.json", "renewal.json", "validation.json")

#: backtest.json key -> row label, in the order of the table.
RANKINGS = {
    "model": "**leakopt model**",
    "poisson_glm": "Poisson GLM on the same features",
    "cohort_rate": "material × decade cohort rate",
    "oldest_first": "oldest first",
    "leaks_per_km_so_far": "most leaks per km so far",
    "plain_lightgbm": "plain LightGBM (one row per pipe, recent breaks)",
}
SOLVER_NAMES = {"highs": "HiGHS", "cbc": "CBC"}


# --- reading and formatting ---------------------------------------------------------------------

def load_outputs(demo_dir: str | Path) -> dict[str, dict]:
    """The demo's JSON outputs, by file stem (``priority``, ``backtest``, ...)."""
    demo_dir = Path(demo_dir)
    missing = [name for name in OUTPUT_FILES if not (demo_dir / name).is_file()]
    if missing:
        raise FileNotFoundError(f"{demo_dir} lacks {', '.join(missing)}: give the folder of "
                                "`leakopt demo --out DIR`")
    return {Path(name).stem: json.loads((demo_dir / name).read_text(encoding="utf-8"))
            for name in OUTPUT_FILES}


def pct(share: float, digits: int = 1) -> str:
    """0.6806 -> '68.1%'."""
    return f"{100 * share:.{digits}f}%"


def points(share: float) -> str:
    """0.6867 -> '68.7' (a share in percentage points, without the sign)."""
    return f"{100 * share:.1f}"


def day(iso: str) -> str:
    """'2022-01-01' -> '1 Jan 2022'."""
    d = dt.date.fromisoformat(iso)
    return f"{d.day} {d:%b %Y}"


def test_period(bt: dict) -> str:
    """The test period of a backtest, e.g. '2022–2024'."""
    first = dt.date.fromisoformat(bt["cutoff"]).year
    return f"{first}–{first + bt['horizon_years'] - 1}"


def full_network(place: dict) -> str:
    """What the placement's count is compared with: the whole network only when every pipe is within reach of a
    candidate site (``leakopt.report.sections.full_network_comparison``)."""
    if not place.get("n_unreachable_segments"):
        return "covering the whole network"
    reach = 1 - place["unreachable_expected_leaks"] / place["total_expected_leaks"]
    return (f"hearing all that the candidate sites can reach ({pct(reach, 0)} of expected leaks; "
            f"{place['unreachable_length_m'] / 1000:,.1f} km of pipe out of range of every site)")


def solver_status(p: dict) -> str:
    """'HiGHS, proven optimal', or the status and gap the solver reported."""
    name = SOLVER_NAMES.get(p["solver"], p["solver"])
    if p["status"] == "optimal" and not p["mip_gap"]:
        return f"{name}, proven optimal"
    gap = "" if p["mip_gap"] is None else f", gap ≤ {pct(p['mip_gap'], 2)}"
    return f"{name}, status `{p['status']}`{gap}"


# --- the README block ---------------------------------------------------------------------------

def readme_block(out: dict[str, dict]) -> str:
    """The ``sample-figures`` block of README.md."""
    prio, bt, place, ren = out["priority"], out["backtest"], out["placement"], out["renewal"]
    summary = out["validation"]["summary"]
    model = bt["model"]["capture"]
    rows = [
        ("priority zone",
         f"**{pct(prio['length_share'])} of the length holds {pct(prio['expected_leak_share'], 0)} of expected "
         f"leaks** ({prio['zone_length_km']:,.0f} of {prio['length_km']:,.0f} km)"),
        (f"ranking tested on later years: trained before {day(bt['cutoff'])}, "
         f"tested on the {bt['n_test_leaks']:,} leaks of {test_period(bt)}",
         f"the top 20% of length held **{pct(model['0.2'])}** of them (oldest first: "
         f"{pct(bt['oldest_first']['capture']['0.2'])}); the top 30%, {pct(model['0.3'])}"),
        ("acoustic loggers",
         f"**{place['n_sensors']:,} loggers** hear {pct(place['covered_risk_share'], 0)} of expected leaks; "
         f"{full_network(place)} takes {place['n_sensors_full_network']:,}: "
         f"**×{place['reduction_factor']:.1f} fewer** ({solver_status(place)}; "
         f"greedy needs {place['greedy_n_sensors']:,})"),
        (f"renewal, {ren['years']} years at €{ren['budget_per_year_eur'] / 1e6:.2f} M a year",
         f"**{ren['leaks_avoided']:.1f} expected leaks avoided**, {renewal_ratios(ren)} at the same budget"),
        ("data checks", data_checks(summary)),
    ]
    lines = [
        NOTE,
        f"`leakopt demo` on the shipped sample utility (`data_samples/`, synthetic: {prio['n_pipes']:,} pipes, "
        f"{prio['length_km']:,.0f} km, {summary['leaks_used']:,} usable leak records):",
        "",
        "| | on the sample utility |",
        "|---|---|",
        *(f"| {what} | {figure} |" for what, figure in rows),
    ]
    return "\n".join(lines) + "\n"


def renewal_ratios(ren: dict) -> str:
    """'×10.00 "oldest first" and ×1.37 "most leaks first"' (rules that could not run are left out)."""
    names = {"oldest_first": "oldest first", "most_leaks_first": "most leaks first"}
    parts = [f'×{rule["ratio"]:.2f} "{names.get(key, key)}"' for key, rule in ren["rules"].items()
             if rule.get("available") and rule.get("ratio") is not None]
    return " and ".join(parts)


def data_checks(summary: dict) -> str:
    """The register defects the sample carries, as counted in validation.json."""
    excluded = summary.get("leaks_excluded", {})
    parts = [f"{excluded.get('before_install', 0):,} leaks dated before their pipe was laid and "
             f"{excluded.get('date_unparseable', 0):,} unreadable dates left out",
             f"{summary.get('install_year_imputed', 0):,} install years and "
             f"{summary.get('diameter_imputed', 0):,} diameters imputed and flagged",
             f"{summary.get('leaks_snapped', {}).get('count', 0):,} leaks placed from x, y"]
    return "; ".join(parts) + ": all listed in `validation.json`"


# --- the docs/benchmarks.md block ---------------------------------------------------------------

def backtest_block(out: dict[str, dict]) -> str:
    """The ``sample-backtest`` block of docs/benchmarks.md: every ranking at every level."""
    bt = out["backtest"]
    wf = bt["walk_forward_summary"]
    n_cutoffs = wf["model"]["n_cutoffs"]
    cutoffs = ", ".join(str(dt.date.fromisoformat(c["cutoff"]).year) for c in bt["walk_forward"])
    lines = [
        NOTE,
        f"Backtest on the sample (`leakopt demo`, `backtest.json`): trained before {day(bt['cutoff'])}, "
        f"tested on the {bt['n_test_leaks']:,} leaks of {test_period(bt)}. Share of them on the top share of "
        f"network length; in brackets, the mean ± standard deviation over the {n_cutoffs} walk-forward "
        f"cutoffs (1 January {cutoffs}):",
        "",
        "| ranking | 1% | 5% | 10% | 20% | 30% | length for 80% |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, label in RANKINGS.items():
        if key not in bt:
            continue
        cap = bt[key]["capture"]
        at20 = pct(cap["0.2"])
        if key == "model":
            at20 = f"**{at20}**"
        spread = wf.get(key)
        if spread:
            at20 += f" ({points(spread['capture_mean']['0.2'])} ± {points(spread['capture_std']['0.2'])})"
        cells = [pct(cap["0.01"]), pct(cap["0.05"]), pct(cap["0.1"]), at20, pct(cap["0.3"]),
                 pct(bt[key]["length_share_for_80pct"], 0)]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", model_vs_glm(bt)]
    return "\n".join(lines) + "\n"


def model_vs_glm(bt: dict) -> str:
    """One sentence comparing the model and the GLM at 20% (and 10%), on the cutoff and on the walk-forward.

    A difference that rounds to nothing at one decimal is called a tie, never a lead.
    """
    first = dt.date.fromisoformat(bt["cutoff"]).year
    m, g = bt["model"]["capture"], bt["poisson_glm"]["capture"]
    wm, wg = (bt["walk_forward_summary"][k]["capture_mean"] for k in ("model", "poisson_glm"))

    def compare(a: float, b: float) -> str:
        if pct(a) == pct(b):
            return "the model and the GLM tie"
        return "the model is ahead" if a > b else "the GLM is ahead"

    return (f"On this one sample, at 20% in {first} {compare(m['0.2'], g['0.2'])} ({pct(m['0.2'])} vs "
            f"{pct(g['0.2'])}); over the walk-forward {compare(wm['0.2'], wg['0.2'])} at 20% "
            f"({points(wm['0.2'])}% vs {points(wg['0.2'])}%) and {compare(wm['0.1'], wg['0.1'])} at 10% "
            f"({points(wm['0.1'])}% vs {points(wg['0.1'])}%).")


#: block name -> (file, renderer)
BLOCKS = {
    "sample-figures": ("README.md", readme_block),
    "sample-backtest": ("docs/benchmarks.md", backtest_block),
}


# --- blocks in a text ---------------------------------------------------------------------------

def _pattern(name: str) -> re.Pattern:
    return re.compile(rf"(<!-- {re.escape(name)}:start -->\n)(.*?)(<!-- {re.escape(name)}:end -->)", re.S)


def extract_block(text: str, name: str) -> str:
    """The text between the block's markers; ValueError unless they occur exactly once."""
    found = _pattern(name).findall(text)
    if len(found) != 1:
        raise ValueError(f"expected one <!-- {name}:start --> ... <!-- {name}:end --> block, found {len(found)}")
    return found[0][1]


def replace_block(text: str, name: str, body: str) -> str:
    """``text`` with the block's content replaced by ``body``."""
    extract_block(text, name)   # exactly one block, or ValueError
    return _pattern(name).sub(lambda m: m.group(1) + body + m.group(3), text)


def block_diff(text: str, name: str, body: str, *, label: str = "") -> str:
    """'' when the block holds ``body``; else a unified diff (or why the block cannot be read)."""
    try:
        current = extract_block(text, name)
    except ValueError as exc:
        return f"{label}: {exc}\n"
    if current == body:
        return ""
    return "".join(difflib.unified_diff(current.splitlines(keepends=True), body.splitlines(keepends=True),
                                        f"{label} ({name}, as written)", f"{label} ({name}, from the demo)"))


def check(demo_dir: str | Path, root: str | Path = ROOT) -> list[str]:
    """Diffs of every block that differs from ``demo_dir``'s outputs (empty: the documents are current)."""
    out = load_outputs(demo_dir)
    diffs = []
    for name, (rel, render) in BLOCKS.items():
        text = (Path(root) / rel).read_text(encoding="utf-8")
        diff = block_diff(text, name, render(out), label=rel)
        if diff:
            diffs.append(diff)
    return diffs


def write(demo_dir: str | Path, root: str | Path = ROOT) -> list[Path]:
    """Rewrite every block from ``demo_dir``'s outputs; return the files changed."""
    out = load_outputs(demo_dir)
    changed = []
    for name, (rel, render) in BLOCKS.items():
        path = Path(root) / rel
        text = path.read_text(encoding="utf-8")
        new = replace_block(text, name, render(out))
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def run_demo(out_dir: str | Path) -> Path:
    """Run ``leakopt demo --out out_dir`` with this Python; return the folder."""
    proc = subprocess.run([sys.executable, "-m", "leakopt", "-q", "demo", "--out", str(out_dir)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"leakopt demo failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    return Path(out_dir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("demo_dir", nargs="?", help="output folder of `leakopt demo --out DIR` "
                        "(default: run the demo in a temporary folder)")
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when a block differs")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        demo_dir = Path(args.demo_dir) if args.demo_dir else run_demo(Path(tmp) / "demo")
        if args.check:
            diffs = check(demo_dir)
            sys.stdout.write("".join(diffs) or "The sample figures match the demo's outputs.\n")
            return 1 if diffs else 0
        changed = write(demo_dir)
        print("\n".join(f"rewrote {p.relative_to(ROOT)}" for p in changed) or "already current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
