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

    Parameters
    ----------
    message : str
        The English, as the command line prints it.
    fr : str, optional
        The same message in French, written with plain spaces (French typography's no-break spaces are
        added when it is shown: :func:`leakopt.validate.messages.french_error`). A command answering in
        French prints it, and the French app shows it; without it, the English is shown.
    """

    def __init__(self, message: str = "", *, fr: str | None = None):
        super().__init__(message)
        self.fr = fr or None


class MissingColumnsError(InputError):
    """Required columns absent from a file (:func:`leakopt.io.columns.missing_columns_error`).

    Attributes
    ----------
    table : str
        The configuration table that maps them: ``"columns"`` (pipes) or ``"leak_columns"``.
    missing : list of str
        The contract names not found.
    columns : list of str
        The file's columns.
    optional : list of str
        Contract names also absent, needed only when no network gives them (diameter, length).
    guesses : dict
        Contract name -> the file's likely column, where one is likely.
    where, why : str
        The file named in the message, and why the columns are needed (empty: no reason given), for
        the message in another language (:mod:`leakopt.validate.messages`).
    """

    def __init__(self, message: str, *, table: str, missing, columns, guesses, optional=(), where: str = "",
                 why: str = ""):
        super().__init__(message)   # its French is written from these fields (leakopt.validate.messages)
        self.table, self.missing, self.optional = table, list(missing), list(optional)
        self.columns, self.guesses = list(columns), dict(guesses)
        self.where, self.why = where, why


class SolverError(LeakoptError, RuntimeError):
    """An optimisation solver failed or is not available."""


class DataQualityWarning(UserWarning):
    """A data problem that was handled (imputed, skipped) and reported."""
