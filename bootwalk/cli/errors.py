"""How the command line reports what went wrong: click's usage errors and operational errors (exit 1)."""

from __future__ import annotations

import click

from bootwalk.exit_codes import ExitCode
from bootwalk.request import BadOptionValue, RequestError


class OperationalError(click.ClickException):
    """Something outside the command line went wrong (a catalog, a file): exit 1."""

    exit_code = ExitCode.ERROR


def usage_error(error: RequestError) -> click.UsageError:
    """A dialect's refusal as click's usage error (exit 2); a bad value names its option, as click's own errors do."""
    if isinstance(error, BadOptionValue):
        return click.BadParameter(str(error), param_hint=f"'{error.option}'")
    return click.UsageError(str(error))
