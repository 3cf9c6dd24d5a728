"""How the command line reports what went wrong: click's usage errors and operational errors (exit 1)."""

from __future__ import annotations

import click

from bootwalk.exit_codes import ExitCode
from bootwalk.request import BadOptionValue, RequestError


class OperationalError(click.ClickException):
    """Something outside the command line went wrong (a catalog, a file): exit 1."""

    exit_code = ExitCode.ERROR


class UnknownName(click.ClickException):
    """A name a command does not know: a usage error (exit 2) whose one line says where the names are.

    It reads as click's ``Invalid value for ...``, but ends with the listing
    to look in rather than the command's --help.
    """

    exit_code = ExitCode.USAGE

    def __init__(self, param_hint: str, message: str) -> None:
        super().__init__(f"Invalid value for {param_hint}: {message}")


def usage_error(error: RequestError) -> click.UsageError:
    """A dialect's refusal as click's usage error (exit 2); a bad value names its option, as click's own errors do."""
    if isinstance(error, BadOptionValue):
        refused = click.BadParameter(str(error), param_hint=f"'{error.option}'")
        if error.see is not None:  # a name the catalog does not have: the list of those it has says more
            refused.hint = f" (see 'bootwalk {error.see}')"  # type: ignore[attr-defined]
        return refused
    return click.UsageError(str(error))
