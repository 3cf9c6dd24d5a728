"""The command line: parse, call the engine, render. Nothing else lives here.

``app`` holds the group and its error handling, ``options`` the options
commands share, ``errors`` how failures are reported, ``present`` and
``exports`` how a walk is shown and saved, and ``walk`` and ``reference``
the commands, loaded on demand.
"""

from bootwalk.cli.app import LAZY_COMMANDS, cli, main

__all__ = ["LAZY_COMMANDS", "cli", "main"]
