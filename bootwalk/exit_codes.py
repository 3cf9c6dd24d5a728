"""The exit codes bootwalk documents, in one place."""

from enum import IntEnum


class ExitCode(IntEnum):
    """What a bootwalk process tells its caller when it ends."""

    #: The walk ended with the instance ACTIVE, or the command succeeded.
    OK = 0
    #: The walk ended in ERROR (or was refused), or an operational error:
    #: an unreadable catalog, an export that cannot be written, a standard
    #: output that is closed or full.
    ERROR = 1
    #: The command line was wrong: click's convention for usage errors.
    USAGE = 2
    #: Interrupted with Ctrl-C (128 + SIGINT).
    INTERRUPTED = 130
    #: The reader of standard output went away (``bootwalk boot ... | head -1``):
    #: 128 + SIGPIPE, what a shell reports for a writer the signal ended, as
    #: ``cat`` or ``yes`` would end there. Nothing is printed.
    BROKEN_PIPE = 141
