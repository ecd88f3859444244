"""The walkthrough notebook runs top to bottom on the sample, and matches its generator."""
import json
from pathlib import Path

import nbclient
import nbformat

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def test_notebook_is_generated_from_its_script():
    from _scripts import load_script
    module = load_script(NOTEBOOKS / "make_walkthrough.py")
    on_disk = nbformat.read(NOTEBOOKS / "walkthrough.ipynb", as_version=4)
    assert [c.source for c in on_disk.cells] == [c.source for c in module.build().cells]


def test_walkthrough_executes(tmp_path):
    nb = nbformat.read(NOTEBOOKS / "walkthrough.ipynb", as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    text = json.dumps([o.get("text", "") for o in outputs])
    assert "usable leaks" in text and "report.html" in text
    assert not list(tmp_path.glob("*.html")), "the notebook must not write into its working directory"
