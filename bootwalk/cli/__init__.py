"""The command line: parse, call the engine, render. Nothing else lives here.

``app`` holds the group, its error handling and the table of commands,
each loaded on demand from its own module: ``boot``, ``server`` (``server
create``), ``replaying`` (``replay``) and ``reference`` (steps, explain,
glossary, compare, scenarios and the lists). ``walk`` is what the walk
commands share, ``options`` the options commands share, ``errors`` how
failures are reported, ``present`` and ``exports`` how a walk is shown and
saved, ``streams`` the standard streams, and ``helptext`` how ``--help`` is
laid out.
"""

from bootwalk.cli.app import LAZY_COMMANDS, cli, main

__all__ = ["LAZY_COMMANDS", "cli", "main"]
