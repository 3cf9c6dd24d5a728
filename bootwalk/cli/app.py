"""The command group: errors as one line and a documented exit code, commands loaded on demand.

Only click is imported at start-up. The walk commands live each in its own
module (``boot`` in :mod:`bootwalk.cli.boot`, ``server create`` in
:mod:`bootwalk.cli.server`, ``replay`` in :mod:`bootwalk.cli.replaying`),
and the reference commands in :mod:`bootwalk.cli.reference`; each is loaded
only when it runs (a command of forty options costs milliseconds to build),
and the catalog loader (yaml), the engine and the renderers (rich) are
imported inside the commands that need them, so ``--help`` and
``--version`` stay fast.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, NoReturn

import click

from bootwalk import __version__
from bootwalk.cli import streams
from bootwalk.exit_codes import ExitCode

#: The commands, built only when they run: (module, attribute, the line ``bootwalk --help`` gives each).
#: Each line fits whole beside its name at 80 columns (a test checks), where click would cut the help's first line.
LAZY_COMMANDS: dict[str, tuple[str, str, str]] = {
    "boot": ("bootwalk.cli.boot", "boot", "Walk a new server's boot through every service"),
    "replay": ("bootwalk.cli.replaying", "replay", "Replay a walk saved with boot -f json"),
    "server": ("bootwalk.cli.server", "server", "openstack server ...: create, list, show, delete"),
    "steps": ("bootwalk.cli.reference", "steps", "List a boot's steps: number, service, what it does"),
    "explain": ("bootwalk.cli.reference", "explain", "Explain a step, or a term of the glossary"),
    "glossary": ("bootwalk.cli.reference", "glossary", "List every term explain knows, a line each"),
    "compare": ("bootwalk.cli.reference", "compare", "The classic story and today's nova, side by side"),
    "scenarios": ("bootwalk.cli.reference", "scenarios", "List the failures boot --scenario can inject"),
    "flavor-list": ("bootwalk.cli.reference", "flavor_list", "List the flavors, like nova flavor-list"),
    "image-list": ("bootwalk.cli.reference", "image_list", "List the images, like glance image-list"),
    "net-list": ("bootwalk.cli.reference", "net_list", "List the networks, like neutron net-list"),
    "server-group-list": ("bootwalk.cli.reference", "server_group_list",
                          "List the server groups, like nova server-group-list"),
    "host-list": ("bootwalk.cli.reference", "host_list", "List the compute hosts, their capacity and state"),
    "volume-list": ("bootwalk.cli.reference", "volume_list", "List the volumes, like cinder list"),
    "lab": ("bootwalk.cli.labs", "lab", "Labs: a cloud that keeps its boots, for class"),
    "list": ("bootwalk.cli.servers", "list_servers", "List a lab's servers, like nova list"),
    "show": ("bootwalk.cli.servers", "show", "Show one of a lab's servers, like nova show"),
    "delete": ("bootwalk.cli.deleting", "delete", "Delete a lab's servers, like nova delete, step by step"),
    "instance-action-list": ("bootwalk.cli.servers", "instance_action_list",
                             "A lab server's actions, like nova instance-action-list"),
    "hypervisor-stats": ("bootwalk.cli.hypervisors", "hypervisor_stats",
                         "The hosts' summed capacity, like nova hypervisor-stats"),
    "hypervisor": ("bootwalk.cli.hypervisors", "hypervisor", "openstack hypervisor's commands: hypervisor stats show"),
    "port-list": ("bootwalk.cli.reference", "port_list", "List the ports, like neutron port-list"),
    "keypair-list": ("bootwalk.cli.reference", "keypair_list", "List the keypairs, like nova keypair-list"),
    "security-group-list": ("bootwalk.cli.reference", "security_group_list",
                            "List the security groups in the catalog"),
}  # fmt: skip


def terminal_columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` finds it, without importing shutil.

    COLUMNS first, then the terminal of standard output, else 80. (shutil
    would also import zlib, bz2 and lzma, a few milliseconds on every --help.)
    """
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class BootwalkContext(click.Context):
    """A context whose help formatter is as wide as click's, found without shutil, and wraps at spaces only."""

    def make_formatter(self) -> click.HelpFormatter:
        from click import formatting

        from bootwalk.cli.helptext import HelpFormatter

        max_width = self.max_content_width or 80
        width = self.terminal_width or formatting.FORCED_WIDTH  # click's testing sets FORCED_WIDTH
        if width is None:
            width = max(min(terminal_columns(), max_width) - 2, 50)
        return HelpFormatter(width=width, max_width=max_width)


def _show_help(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``-h``/``--help``: the command's help, then exit 0 (what click's own help option does)."""
    if value and not ctx.resilient_parsing:
        click.echo(ctx.get_help(), color=ctx.color)
        ctx.exit()


class EnglishHelp(click.Command):
    """click's help option, usage line and option list, with their few words given in English.

    click looks each of these words up in gettext (it ships no
    translations), and the first lookup imports :mod:`locale` and searches
    for catalogs: a millisecond on every command, walks included. The
    words are the same; only the lookup is gone.
    """

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        names = self.get_help_option_names(ctx)
        if not names or not self.add_help_option:
            return None
        if self._help_option is None:  # one object, as click keeps it: the order of eager callbacks compares it
            self._help_option = click.Option(
                [*names, "_click_default_help"],  # click's own storage name, clear of a parameter called help
                is_flag=True,
                is_eager=True,
                expose_value=False,
                callback=_show_help,
                help="Show this message and exit.",
            )
        return self._help_option

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="Usage: ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        records = [
            record
            for param in self.get_params(ctx)
            if not isinstance(param, click.Argument) and (record := param.get_help_record(ctx)) is not None
        ]
        if records:
            with formatter.section("Options"):
                formatter.write_dl(records)


class EnglishGroupHelp(EnglishHelp, click.Group):
    """A group's help in English: its options, then its commands."""

    #: Commands loaded on demand, with the line the help gives each (the top group's).
    lazy: ClassVar[Mapping[str, tuple[str, str, str]]] = {}

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's command list, with the lazy commands' summaries taken from the table."""
        rows: list[tuple[str, str]] = []
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        for name in names:
            if name in self.lazy:  # its line, whole, and no command built
                rows.append((name, self.lazy[name][2]))
                continue
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


class BootwalkCommand(EnglishHelp):
    """A command with bootwalk's context, which takes printable text only.

    Every value on the command line may be shown back (a server name, a
    metadata value, a path in an error), so a control character in any of
    them is a usage error, before the command runs.
    """

    context_class = BootwalkContext

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # Look at the words as typed, before any type converts them (a path with NUL fails in stat).
        typed, _rest, _order = self.make_parser(ctx).parse_args(args=list(args))
        for param in self.get_params(ctx):
            if param.name is not None and param.name in typed:
                _refuse_control_characters(param, typed[param.name], ctx)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        # Values from the environment (BOOTWALK_CATALOG) and defaults, as the command receives them.
        for param in self.get_params(ctx):
            if param.name is not None:
                _refuse_control_characters(param, ctx.params.get(param.name), ctx)
        return super().invoke(ctx)


def _refuse_control_characters(param: click.Parameter, value: Any, ctx: click.Context) -> None:
    """A usage error naming the parameter when its value (or any item of it) holds a control character."""
    from bootwalk.text import describe_control, first_control

    values = value if isinstance(value, (tuple, list)) else (value,)
    for item in values:
        if isinstance(item, (tuple, list)):
            _refuse_control_characters(param, item, ctx)
            continue
        if not isinstance(item, str):
            continue
        found = first_control(item)
        if found is not None:
            raise click.BadParameter(
                f"holds {describe_control(found)}; bootwalk takes printable text only",
                ctx=ctx,
                param=param,
            )


class BootwalkSubgroup(EnglishGroupHelp):
    """A group below the top one (``server``), with bootwalk's context and commands."""

    context_class = BootwalkContext
    command_class = BootwalkCommand


class _Interrupted(Exception):
    """Ctrl-C, caught before click turns it into Abort with a stray newline."""


class _BrokenPipe(Exception):
    """The reader of standard output went away, caught before click turns it into exit 1."""


class BootwalkGroup(EnglishGroupHelp):
    """A click group whose errors are one line on stderr with a documented exit code.

    The walk commands are loaded only when asked for (``LAZY_COMMANDS``), so
    that ``bootwalk --help`` builds none of their options.
    """

    context_class = BootwalkContext
    command_class = BootwalkCommand
    lazy = LAZY_COMMANDS

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            module, attribute, _summary = LAZY_COMMANDS[cmd_name]
            command = getattr(importlib.import_module(module), attribute)
            assert isinstance(command, click.Command)
            return command
        return super().get_command(ctx, cmd_name)

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:  # a Ctrl-C while the words are parsed: click would print a stray newline first
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt:
            raise _Interrupted from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise _Interrupted from None
        except BrokenPipeError:
            raise _BrokenPipe from None

    def main(self, *args: Any, **kwargs: Any) -> NoReturn:  # type: ignore[override]
        kwargs["standalone_mode"] = False
        closed = streams.prepare()
        if closed is not None:
            streams.say(closed)
            sys.exit(ExitCode.ERROR)
        sys.exit(streams.finish(self._run(*args, **kwargs)))

    def _run(self, *args: Any, **kwargs: Any) -> int:
        """Run the command: however it ends, an exit code and at most one line on stderr."""
        try:
            result = super().main(*args, **kwargs)
        except click.exceptions.Exit as exit_:
            return exit_.exit_code
        except click.UsageError as error:
            hint = getattr(error, "hint", "")  # a lookup points to the list of what there is
            if not hint and error.ctx is not None:
                hint = f" (see '{error.ctx.command_path} --help')"
            streams.say(f"Error: {error.format_message()}{hint}")
            return ExitCode.USAGE
        except click.ClickException as error:
            streams.say(f"Error: {error.format_message()}")
            return error.exit_code
        except (_Interrupted, click.exceptions.Abort, KeyboardInterrupt):
            # On a terminal the cursor sits after "^C": start a fresh line first.
            prefix = "\n" if sys.stderr.isatty() else ""
            streams.say(f"{prefix}Interrupted.")
            return ExitCode.INTERRUPTED
        except (_BrokenPipe, BrokenPipeError):
            return streams.broken_pipe()
        except Exception as error:  # a bug: still one line, never a traceback
            if isinstance(error, OSError) and streams.failed_writing(error):
                return streams.cannot_write(error)
            if os.environ.get("BOOTWALK_DEBUG"):
                raise
            streams.say(
                f"bootwalk: internal error ({type(error).__name__}: {error}); this is a bug, "
                "please report it with the command you ran (BOOTWALK_DEBUG=1 shows the traceback)"
            )
            return ExitCode.ERROR
        return int(result) if isinstance(result, int) else ExitCode.OK


@click.group(cls=BootwalkGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    is_eager=True,
    expose_value=False,
    callback=lambda ctx, _param, value: _show_version(ctx, value),
    help="Show the version and exit.",
)  # click.version_option would look its help up in gettext, and import locale to do it
def cli() -> None:
    """Walk through what OpenStack does when a server boots.

    bootwalk boot takes the flags of nova boot and shows each handoff
    between keystone, nova-api, nova-scheduler, nova-conductor, nova-compute,
    glance, neutron, cinder and the hypervisor, with the instance's state
    after every step. Nothing is sent anywhere: the cloud is a catalog.

    Exit codes: 0 the instance ended ACTIVE (or the command succeeded);
    1 the walk ended in ERROR or was refused, or an operational error;
    2 a usage error; 130 interrupted; 141 the reader of the output went
    away (a broken pipe).
    """


def _show_version(ctx: click.Context, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"bootwalk {__version__}", color=ctx.color)
        ctx.exit()


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Run the command line (the ``bootwalk`` console script)."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="bootwalk")
