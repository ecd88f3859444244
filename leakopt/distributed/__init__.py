"""Many utilities at once: one risk model trained on a pooled Parquet set with a Dask cluster.

The pooled layout on disk is :mod:`leakopt.io.pooled`'s; this stage reads it.

========================  ===================================================================
module                    job
========================  ===================================================================
:mod:`.train`             :func:`train_distributed`: panels, GLM, boosting rounds on the cluster
:mod:`.search`            early stopping over a validation window, round by round
:mod:`.memory`            worker memory settings and checks
:mod:`.pressure`          pressure-drop simulations spread over the cluster
:mod:`.consequence`       the consequence stage's pressure-dependent simulations spread over the cluster
:mod:`.local`             synthetic pooled sets and the single-machine reference fit
========================  ===================================================================

Dask is an optional dependency (``pip install "leakopt[dask]"``), imported by
the functions that use it.
"""

from leakopt.distributed.consequence import consequence_distributed
from leakopt.distributed.local import fit_local, synth_utility, utility_features, utility_panel, write_pooled
from leakopt.distributed.pressure import pressure_drops_distributed
from leakopt.distributed.train import DistributedResult, read_scores, train_distributed

__all__ = ["train_distributed", "consequence_distributed", "DistributedResult", "read_scores", "pressure_drops_distributed", "write_pooled",
           "fit_local", "synth_utility", "utility_panel", "utility_features"]
