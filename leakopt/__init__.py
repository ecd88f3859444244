"""leakopt: find where drinking-water networks will leak, and act on it.

Stages (one module each): ``io`` (read inputs) -> ``validate`` (check, impute,
snap) -> ``features`` (pipe-year panel) -> ``risk`` (LightGBM + baselines) ->
``priority`` (priority zone) -> ``coverage`` + ``placement`` (acoustic
loggers) / ``pressure`` (pressure sensors) -> ``renewal`` -> ``report``.
``pipeline.run`` chains them; ``cli`` is the command line.

Importing this package is cheap: lightgbm, wntr, pulp and streamlit are only
imported by the functions that need them.
"""
import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

from leakopt.errors import InputError, LeakoptError, SolverError  # noqa: E402

__all__ = ["__version__", "LeakoptError", "InputError", "SolverError"]
