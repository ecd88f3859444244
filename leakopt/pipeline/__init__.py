"""The whole job, stage by stage: what ``leakopt run``, ``leakopt demo`` and the other commands do.

:func:`run` loads and validates the inputs, scores every pipe, finds the
priority zone, back-tests the ranking on the utility's own history, scores
the consequence of failure, places acoustic loggers (when a network is
given), plans renewals, and writes the contract's output files plus the
report.  Each stage's wall time, CPU time and the peak memory go to
``manifest.json``: enough to reproduce the run and to state its compute
cost.  Each stage reports its progress under its own name ("risk: boosting
rounds 120/2000", "backtest: cutoff 2019-01-01 1/3"), with the convention of
:mod:`leakopt.schema`.

========================  ===================================================================
module                    job
========================  ===================================================================
:mod:`.stages`            one function per stage, each writing its output files
:mod:`.run`               :func:`run` and :func:`run_demo`: every stage in order
:mod:`.commands`          ``backtest``, ``sensors`` (loggers or pressure), ``campaign``
:mod:`.check`             ``check``: the files read and validated only, a configuration suggested
:mod:`.summary`           the plain sentences the terminal prints after a command
========================  ===================================================================
"""
from leakopt.pipeline.check import CheckResult, check_files, check_text
from leakopt.pipeline.commands import (
                                       backtest_text,
                                       read_risk,
                                       run_backtest,
                                       run_campaign,
                                       run_pressure_sensors,
                                       run_sensors,
)
from leakopt.pipeline.run import SAMPLE_DIR, SAMPLE_PIPES, SAMPLE_SEED, run, run_demo, sample_paths
from leakopt.pipeline.stages import RunResult, load, load_sites, sites_path, write_leaks_used, write_sensors
from leakopt.pipeline.summary import campaign_text, dump, pressure_line, summary_text

__all__ = ["run", "run_demo", "load", "check_files", "check_text", "CheckResult", "sample_paths", "RunResult", "run_backtest", "run_sensors",
           "run_pressure_sensors", "run_campaign", "read_risk", "write_sensors", "write_leaks_used", "load_sites",
           "sites_path", "summary_text", "backtest_text", "campaign_text", "pressure_line", "dump",
           "SAMPLE_DIR", "SAMPLE_PIPES", "SAMPLE_SEED"]
