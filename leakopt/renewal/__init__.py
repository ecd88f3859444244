"""Stage 5, renewal: which pipes to renew, year by year, under a budget.

The plan maximises the expected leaks avoided over the horizon (an integer
program over work sites: runs of adjacent pipes renewed together), and is
compared with the usual rules (oldest first, most leaks first) at the same budget.

========================  ===================================================================
module                    job
========================  ===================================================================
:mod:`.config`            :class:`RenewalConfig` (the ``[renewal]`` table, its ``currency``) and the cost table
:mod:`.sites`             costs per pipe, work sites, the annual budget
:mod:`.plan`              the model, the plan, the rules: :func:`plan_renewal`
========================  ===================================================================
"""

from leakopt.renewal.config import DEFAULT_COST_TABLE, RenewalConfig, summary_currency
from leakopt.renewal.plan import (
           RULES,
           RenewalModel,
           RenewalPlan,
           build_model,
           first_fit_years,
           plan_renewal,
           rule_plan,
           select_candidates,
)
from leakopt.renewal.sites import annual_budget, cost_source, pipe_costs, prepare_pipes, site_table, work_sites

__all__ = ["RenewalConfig", "DEFAULT_COST_TABLE", "RenewalPlan", "RenewalModel", "RULES", "plan_renewal", "rule_plan",
           "build_model", "select_candidates", "first_fit_years", "pipe_costs", "prepare_pipes", "work_sites",
           "site_table", "annual_budget", "cost_source", "summary_currency"]
