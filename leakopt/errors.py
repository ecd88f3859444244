"""Exceptions raised by leakopt.

Every exception subclasses a built-in one too, so callers that catch
``ValueError`` or ``RuntimeError`` keep working.  Messages name the file,
column or argument, the value received and what was expected.
"""


class LeakoptError(Exception):
    """Base class of all leakopt errors."""


class InputError(LeakoptError, ValueError):
    """Input data or arguments that cannot be used as given.

    The command line turns it into exit code 2 and a one-paragraph message.
    """


class SolverError(LeakoptError, RuntimeError):
    """An optimisation solver failed or is not available."""


class DataQualityWarning(UserWarning):
    """A data problem that was handled (imputed, skipped) and reported."""
