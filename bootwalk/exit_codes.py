"""The exit codes bootwalk documents, in one place."""

from enum import IntEnum


class ExitCode(IntEnum):
    """What a bootwalk process tells its caller when it ends."""

    #: The walk ended with the instance ACTIVE, or the command succeeded.
    OK = 0
    #: The walk ended in ERROR (or was refused), or an operational error
    #: such as an unreadable catalog.
    ERROR = 1
    #: The command line was wrong: click's convention for usage errors.
    USAGE = 2
    #: Interrupted with Ctrl-C (128 + SIGINT).
    INTERRUPTED = 130
