"""The command line's entry: ``python -m bootwalk`` and the ``bootwalk`` console script both start here.

A Ctrl-C can come before the command line has set itself up (it imports
click, then the command it runs): here it ends the same way as later, with
"Interrupted." and exit 130, never a traceback. Nothing heavy is imported
before the ``try``.
"""

import sys


def main() -> None:
    """Import the command line and run it; a Ctrl-C while importing or starting is an interruption like any other."""
    try:
        from bootwalk.cli import main as run

        run()
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        sys.exit(130)  # ExitCode.INTERRUPTED, which may not be imported yet


if __name__ == "__main__":
    main()
