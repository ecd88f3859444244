"""Drive HiGHS to a given stop (iteration limit, solution limit, ...) whoever runs it."""


def highs_runs_with(monkeypatch, **options):
    """Every HiGHS run of the test gets ``options`` (e.g. ``simplex_iteration_limit=1``).

    Patches ``highspy.Highs.run``, which both :mod:`leakopt.optimize.highs` and
    PuLP's HiGHS interface call, so the code under test runs unchanged.
    """
    import highspy

    run = highspy.Highs.run

    def limited(self):
        for key, value in options.items():
            self.setOptionValue(key, value)
        return run(self)

    monkeypatch.setattr(highspy.Highs, "run", limited)
