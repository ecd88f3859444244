"""The sample figures quoted in README.md and docs/benchmarks.md are what ``leakopt demo`` writes.

The blocks between ``<!-- sample-figures:start/end -->`` (README.md) and
``<!-- sample-backtest:start/end -->`` (docs/benchmarks.md) are rendered by
``docs/sample_figures.py`` from the demo's output files. When a change to the
model, the solver or the sample moves a figure, these tests fail; refresh the
documents with ``python docs/sample_figures.py`` and say why in the commit.
"""
import json
import re
import shutil
from pathlib import Path

import pytest
from _scripts import load_script

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "docs" / "sample_figures.py"


def _load_script():
    return load_script(SCRIPT, register=True)


sf = _load_script()


@pytest.fixture(scope="module")
def demo_out(demo_run):
    """The README's demo folder (``leakopt demo --out DIR``, run once for the suite: conftest.py)."""
    return demo_run[0]


@pytest.fixture(scope="module")
def outputs(demo_out):
    return sf.load_outputs(demo_out)


def test_documents_quote_the_demo(demo_out):
    diffs = sf.check(demo_out)
    assert not diffs, ("the sample figures in the documents differ from `leakopt demo`'s outputs; "
                       "refresh them with `python docs/sample_figures.py`:\n" + "".join(diffs))


@pytest.mark.parametrize("name", sorted(sf.BLOCKS))
def test_a_changed_figure_is_detected(outputs, name):
    rel, render = sf.BLOCKS[name]
    text = (ROOT / rel).read_text(encoding="utf-8")
    body = render(outputs)
    assert sf.block_diff(text, name, body, label=rel) == ""
    # nudge the first figure of the block, as a hand edit or a stale copy would
    block = sf.extract_block(text, name)
    figure = re.search(r"\d+\.\d%", block).group(0)
    nudged = f"{float(figure[:-1]) + 0.1:.1f}%"
    edited = text.replace(block, block.replace(figure, nudged, 1))
    diff = sf.block_diff(edited, name, body, label=rel)
    assert diff.startswith("--- ") and nudged in diff and figure in diff
    # a block whose markers are gone is reported, not skipped
    assert "found 0" in sf.block_diff(text.replace(f"<!-- {name}:end -->", ""), name, body, label=rel)


def test_figures_are_read_from_the_output_files(demo_out, tmp_path, capsys):
    """Change the outputs, not the documents: the rendered blocks and --check follow the files."""
    assert sf.main([str(demo_out), "--check"]) == 0
    changed = tmp_path / "demo"
    shutil.copytree(demo_out, changed, ignore=shutil.ignore_patterns("*.geojson", "*.html", "*.txt"))
    placement = json.loads((changed / "placement.json").read_text())
    placement["n_sensors"] += 7
    (changed / "placement.json").write_text(json.dumps(placement))
    backtest = json.loads((changed / "backtest.json").read_text())
    backtest["model"]["capture"]["0.2"] = 0.5
    (changed / "backtest.json").write_text(json.dumps(backtest))

    out = sf.load_outputs(changed)
    assert f"**{placement['n_sensors']:,} loggers**" in sf.readme_block(out)
    assert "| **leakopt model** |" in sf.backtest_block(out) and "**50.0%**" in sf.backtest_block(out)
    capsys.readouterr()
    assert sf.main([str(changed), "--check"]) == 1
    report = capsys.readouterr().out
    assert "README.md" in report and "docs/benchmarks.md" in report


def test_readme_quotes_sample_figures_only_in_the_block(outputs):
    """A demo figure copied elsewhere in the README would drift unseen: it must live in the block."""
    prio, bt, place, ren = outputs["priority"], outputs["backtest"], outputs["placement"], outputs["renewal"]
    figures = [sf.pct(prio["length_share"]), sf.pct(bt["model"]["capture"]["0.2"]),
               sf.pct(bt["model"]["capture"]["0.3"]), f"{place['n_sensors']:,}",
               f"{place['n_sensors_full_network']:,}", f"×{place['reduction_factor']:.1f}",
               f"{ren['leaks_avoided']:.1f}", *(f"×{r['ratio']:.2f}" for r in ren["rules"].values())]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    outside = readme.replace(sf.extract_block(readme, "sample-figures"), "")
    for figure in figures:
        assert not re.search(rf"(?<![\d.,]){re.escape(figure)}(?![\d])", outside), figure


def test_a_difference_that_rounds_away_is_called_a_tie_not_a_lead():
    def run(model_20, glm_20, wf_model_20, wf_glm_20):
        return {"cutoff": "2022-01-01",
                "model": {"capture": {"0.1": 0.45, "0.2": model_20}},
                "poisson_glm": {"capture": {"0.1": 0.40, "0.2": glm_20}},
                "walk_forward_summary": {"model": {"capture_mean": {"0.1": 0.449, "0.2": wf_model_20}},
                                         "poisson_glm": {"capture_mean": {"0.1": 0.411, "0.2": wf_glm_20}}}}
    text = sf.model_vs_glm(run(0.688, 0.694, 0.6821, 0.6819))
    assert "at 20% in 2022 the GLM is ahead (68.8% vs 69.4%)" in text
    assert "over the walk-forward the model and the GLM tie at 20% (68.2% vs 68.2%)" in text
    assert "the model is ahead at 10%" in text
