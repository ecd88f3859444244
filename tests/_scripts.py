"""Load a repository script (a benchmark, docs/sample_figures.py, a notebook builder) as a module."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_script(path, *, register: bool = False):
    """The script at ``path`` (absolute, or relative to the repository) as a module named after its
    file; ``register`` also puts it in ``sys.modules`` (for scripts whose dataclasses need it)."""
    path = Path(path) if Path(path).is_absolute() else ROOT / path
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    if register:
        sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
