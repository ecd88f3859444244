"""leakopt: find where drinking-water networks will leak, and act on it.

The subpackages are the pipeline, upstream first (``docs/architecture.md``):

``io`` (read the inputs, write the outputs) -> ``validate`` (check, impute,
snap, report) -> ``risk`` (features, GLM + LightGBM, explanations, priority
zone, backtest) -> ``placement`` (acoustic loggers, pressure sensors; solved
through ``optimize``) -> ``renewal`` (the budgeted plan) -> ``report`` (HTML).
``synth`` makes synthetic utilities; ``distributed`` trains on many pooled
utilities with Dask.  ``pipeline.run`` chains the stages; ``cli`` is the
command line and ``app`` the Streamlit app.

Importing this package is cheap: lightgbm, wntr, pulp and streamlit are only
imported by the functions that need them.
"""
import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

from leakopt.errors import InputError, LeakoptError, SolverError  # noqa: E402

__all__ = ["__version__", "LeakoptError", "InputError", "SolverError"]
