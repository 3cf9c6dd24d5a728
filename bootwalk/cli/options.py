"""The options several commands share, each a decorator, and the types that convert their values.

Shared options live here so that commands stay short (sqlite-utils' habit):
the catalog, the output format, the flow, the walk's own options (detail,
exports, the classroom), and the ``key=value`` and microversion types.
Lists of choices come from their registries (flows, scenarios, formats).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

import click

from bootwalk.cli.errors import OperationalError
from bootwalk.render.interface import Level, OutputFormat, Presentation
from bootwalk.request import ApiVersion, RequestError, parse_api_version, parse_key_value

F = TypeVar("F", bound=Callable[..., Any])


def apply_options(options: Sequence[Callable[[Any], Any]], function: F) -> F:
    """Apply option decorators so that they read in --help in the order listed."""
    decorated: Any = function
    for option in reversed(options):
        decorated = option(decorated)
    return cast(F, decorated)


def _a_directory(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--catalog ""`` typed out is a mistake, not a request for the shipped catalogs (an empty
    BOOTWALK_CATALOG, as the shell's ``VAR= command`` gives, is unset, as click reads every variable)."""
    if value == "":
        raise click.BadParameter(
            "is empty; give a directory, or leave --catalog out for the catalogs shipped with bootwalk",
            ctx=ctx,
            param=param,
        )
    return value


#: Where a command keeps the lab it was asked to work in (``--lab`` or BOOTWALK_LAB), in click's context.
LAB = "bootwalk.lab"


def _lab_chosen(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """Keep the lab asked for in the context, for :func:`load` and the walk; an empty name is a mistake."""
    if value == "":
        raise click.BadParameter("is empty; give a lab's name (see bootwalk lab list)", ctx=ctx, param=param)
    if value is not None:
        from bootwalk.lab.store import LabError, check_name

        try:
            check_name(value)
        except LabError as error:
            raise click.BadParameter(str(error), ctx=ctx, param=param) from None
    ctx.meta[LAB] = value


def _catalog_given() -> str:
    """How the catalog was given: the option, or the environment variable."""
    context = click.get_current_context(silent=True)
    source = None if context is None else context.get_parameter_source("catalog_dir")
    return "BOOTWALK_CATALOG" if source is click.core.ParameterSource.ENVIRONMENT else "--catalog"


def chosen_lab() -> str | None:
    """The lab the running command was asked to work in, if any."""
    context = click.get_current_context(silent=True)
    return None if context is None else context.meta.get(LAB)


def lab_option(function: F) -> F:
    """``--lab NAME`` (also BOOTWALK_LAB): the lab the command works in, kept in the context (:func:`chosen_lab`)."""
    return click.option(
        "--lab",
        metavar="NAME",
        envvar="BOOTWALK_LAB",
        expose_value=False,
        callback=_lab_chosen,
        help="Work in this lab: its cloud as its boots left it, and a boot is kept there "
        "(env BOOTWALK_LAB; see 'bootwalk lab').",
    )(function)


def catalog_option(function: F) -> F:
    """``--catalog DIR`` (also BOOTWALK_CATALOG) and ``--lab NAME`` (also BOOTWALK_LAB): where the cloud comes from."""
    function = lab_option(function)
    return click.option(
        "--catalog",
        "catalog_dir",
        metavar="DIR",
        envvar="BOOTWALK_CATALOG",
        callback=_a_directory,
        help="Directory holding your own flavors.yaml, images.yaml and cloud.yaml "
        "(default: the catalogs shipped with bootwalk; env BOOTWALK_CATALOG, empty meaning unset).",
    )(function)


def format_option(function: F) -> F:
    """``-f/--format table|json``, for the commands that list things."""
    return click.option(
        "-f",
        "--format",
        "output_format",
        type=click.Choice(["table", "json"]),
        default="table",
        show_default=True,
        help="Output format. json prints one JSON document on stdout and nothing else.",
    )(function)


def flow_choice(help_text: str) -> Callable[[F], F]:
    """``--flow NAME``, with the names of :data:`bootwalk.flows.REGISTRY` and this help."""

    def decorate(function: F) -> F:
        from bootwalk.flows import DEFAULT_FLOW, flow_names

        return click.option(
            "--flow", type=click.Choice(flow_names()), default=DEFAULT_FLOW, show_default=True, help=help_text
        )(function)

    return decorate


#: ``--flow NAME`` for the commands that walk or show a flow.
flow_option = flow_choice(
    "classic: the Icehouse-era story of the training guides; modern: nova master's real calls "
    "(placement, cells v2, alternates)."
)


def long_option(function: F) -> F:
    """``--long``: IDs whole in a listing's table."""
    return click.option(
        "--long",
        "long_ids",
        is_flag=True,
        help="Tables: show IDs whole, and any column left out to fit 80 columns (JSON always has them).",
    )(function)


def load(catalog_dir: str | None) -> Any:
    """Load the catalog, turning its errors into one line and exit code 1.

    The shipped catalogs were validated when bootwalk was built
    (``bootwalk/shipped_catalog.py``): a walk with them imports their typed
    objects and neither PyYAML nor the validation. A directory of the
    user's own is read from its YAML, and validated, every time.
    """
    lab = chosen_lab()
    if lab is not None:
        if catalog_dir:
            raise click.UsageError(
                f"{_catalog_given()} and --lab both name a cloud; lab {lab} carries its own: give one"
            )
        from bootwalk.cli.lab_access import lab_catalog

        return lab_catalog(lab)
    if not catalog_dir and not os.environ.get("BOOTWALK_CATALOG"):
        from bootwalk.shipped_catalog import CATALOG

        return CATALOG
    from bootwalk.catalog import CatalogError, catalog_directory, load_catalog

    try:
        return load_catalog(catalog_directory(catalog_dir))
    except CatalogError as error:
        raise OperationalError(str(error)) from None


class KeyValueType(click.ParamType):  # type: ignore[type-arg]
    """A ``key=value`` option value, converted to a (key, value) pair."""

    name = "key=value"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        option = param.opts[0] if param is not None and param.opts else "option"
        try:
            return parse_key_value(str(value), option)
        except RequestError as error:
            self.fail(str(error), param, ctx)


class ApiVersionType(click.ParamType):  # type: ignore[type-arg]
    """``--os-compute-api-version``: ``2.latest`` or ``2.N``."""

    name = "version"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, ApiVersion):
            return value
        try:
            return parse_api_version(str(value))
        except RequestError as error:
            self.fail(str(error), param, ctx)


#: What ``boot -f`` takes: every renderer's format (``render.interface`` imports no renderer, nor rich).
WALK_FORMATS = tuple(output_format.value for output_format in OutputFormat)


def detail_options(function: F, show: bool = True) -> F:
    """``--level``, ``--show``, ``-v/--verbose`` and ``-q/--quiet``: how much the tables show.

    ``show``: whether the walk ends on a server to show; a delete does not, so it has no ``--show``, and its
    ``-v`` and ``-q`` say nothing of a server table.
    """
    server = ", and the server's full table" if show else ""
    options = [
        click.option("--level", type=click.Choice([level.value for level in Level]), default=Level.OPERATOR.value,
                     show_default=True, envvar="BOOTWALK_LEVEL",
                     help="Tables: beginner shows each step in plain words and the state; operator adds the "
                     "handoffs, the scheduler grid and the log lines; developer adds every handoff in full, each "
                     "filter's reasoning and the real-nova notes (env BOOTWALK_LEVEL)."),
        *([click.option("--show", "show_server", is_flag=True,
                        help="Tables: end with the server's full table, as nova show (or openstack server show) "
                        "prints it, before the recap.")] if show else []),
        click.option("--theme", type=click.Choice(["dark", "light", "projector"]), default="dark",
                     show_default=True, envvar="BOOTWALK_THEME",
                     help="Tables: colours for a dark terminal, a light one, or a projector (dark colours on white, "
                     "bold); every colour reads at 4.5:1 or better on its background (env BOOTWALK_THEME)."),
        click.option("-v", "--verbose", is_flag=True,
                     help=f"Tables: also show every handoff's payload as JSON (tokens cut to a prefix){server}."),
        click.option("-q", "--quiet", is_flag=True,
                     help="Tables: show only the final server table and the outcome." if show
                     else "Tables: show only the outcome."),
    ]  # fmt: skip
    return apply_options(options, function)


def chosen_detail(
    verbose: bool, quiet: bool, level: str = "operator", show_server: bool = False, theme: str = "dark"
) -> Presentation:
    """How the tables show the walk: -v/-q (both at once is a usage error), the level, and --show."""
    from bootwalk.render.interface import Detail

    if verbose and quiet:
        raise click.UsageError("-v/--verbose and -q/--quiet cannot be used together")
    detail = Detail.VERBOSE if verbose else Detail.QUIET if quiet else Detail.NORMAL
    return Presentation(detail, Level(level), show_server, theme)


def export_options(function: F) -> F:
    """``--timeline`` and the ``--export-*`` files, for boot and replay."""
    options = [
        click.option("--timeline", is_flag=True,
                     help="After the walk, draw a waterfall of each step's simulated duration, with the total "
                     "(tables only)."),
        click.option("--export-svg", metavar="FILE", help="Also save the coloured table output as SVG (tables only)."),
        click.option("--export-html", metavar="FILE",
                     help="Also save the coloured table output as an HTML page (tables only)."),
        click.option("--slide", is_flag=True,
                     help="With --export-svg or --export-html: save the recap alone, as a 16:9 slide that reads "
                     "from the back of a room."),
        click.option("--export-trace", metavar="FILE",
                     help="Also save the walk as Trace Event JSON, for Perfetto or chrome://tracing: one span per "
                     "handoff, on the simulated clock."),
    ]  # fmt: skip
    return apply_options(options, function)


def classroom_options(function: F) -> F:
    """``--step``, ``--delay`` and ``--quiz``: the walk at the pace of a class."""
    options = [
        click.option("--step", "step_mode", is_flag=True,
                     help="Stop before each step and say what is about to happen: Enter or space goes on, d shows "
                     "the step's payloads, q stops. Without a terminal, keys are read from input lines."),
        click.option("--delay", type=click.FloatRange(min=0, max=60), default=0.0, metavar="SECONDS",
                     help="Wait this long before each step, with a spinner naming the service at work "
                     "(default: none)."),
        click.option("--quiz", is_flag=True,
                     help="Before some steps, once the facts are on screen, ask a multiple-choice question the walk "
                     "then answers; at the end, what the user sees and the exit code, a review and the score. "
                     "Answers are keys 1-4 (lines, without a terminal). --seed draws other questions."),
        click.option("--quiz-results", metavar="FILE",
                     help="With --quiz: also save every question, the answer given and the right one as JSON, "
                     "for grading."),
    ]  # fmt: skip
    return apply_options(options, function)


def walk_format_option(function: F) -> F:
    """``-f/--format`` for a walk: tables, JSON, or the exports for slides and notes."""
    return click.option(
        "-f",
        "--format",
        "output_format",
        type=click.Choice(WALK_FORMATS),
        default="table",
        show_default=True,
        help="Output format. json prints one JSON document on stdout and nothing else; mermaid a "
        "sequenceDiagram of the handoffs; markdown a table of the steps, for notes.",
    )(function)


def walk_options(function: F) -> F:
    """The options of a walk, whichever dialect asked for it: flow, output, classroom, scenario, cloud."""
    from bootwalk.scenarios import SCENARIOS

    options = [
        flow_option,
        walk_format_option,
        detail_options,
        export_options,
        classroom_options,
        click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=42, show_default=True, metavar="N",
                     help="Seed for the IDs, token, MAC and IP, so that a walk can be repeated."),
        click.option("--scenario", type=click.Choice(tuple(SCENARIOS)), metavar="NAME",
                     help="Inject a failure for a troubleshooting lesson (see 'bootwalk scenarios')."),
        click.option("--max-attempts", type=click.IntRange(min=1), metavar="N",
                     help="How many hosts one boot may try ([scheduler]max_attempts; default: cloud.yaml's, "
                     "else 3). 1 turns rescheduling off."),
        click.option("--enabled-filters", metavar="FILTER[,FILTER...]",
                     help="The scheduler filters to run, in order ([filter_scheduler]enabled_filters; default: "
                     "cloud.yaml's, else the flow's own: Icehouse's list for classic, today's for modern)."),
        catalog_option,
    ]  # fmt: skip
    return apply_options(options, function)


#: The options ``walk_options`` adds, as the command function receives them.
WALK_OPTION_NAMES = (
    "flow", "output_format", "level", "show_server", "theme", "verbose", "quiet", "timeline", "export_svg",
    "export_html", "slide", "export_trace", "step_mode", "delay", "quiz", "quiz_results", "seed", "scenario",
    "max_attempts", "enabled_filters", "catalog_dir",
)  # fmt: skip


def split_walk_options(options: dict[str, Any]) -> dict[str, Any]:
    """Take the walk's own options out of a command's keyword arguments.

    In a lab, the lab decides the flow and the seed of each boot: either given
    as well is a usage error (unless ``--flow`` names the lab's own).
    """
    common = {name: options.pop(name) for name in WALK_OPTION_NAMES}
    lab = chosen_lab()
    if lab is None:
        return common
    from bootwalk.cli.lab_access import lab_flow

    context = click.get_current_context()
    if common["catalog_dir"]:
        given = _catalog_given()
        raise click.UsageError(f"{given} and --lab both name a cloud; lab {lab} carries its own: give one")
    if context.get_parameter_source("seed") is not click.core.ParameterSource.DEFAULT:
        raise click.BadParameter(
            f"lab {lab} draws each boot's IDs from its own seed (bootwalk lab create --seed); leave it out",
            param_hint="'--seed'",
        )
    flow = lab_flow(lab)
    if context.get_parameter_source("flow") is not click.core.ParameterSource.DEFAULT and common["flow"] != flow:
        raise click.BadParameter(
            f"lab {lab} walks the {flow} flow; leave --flow out, or create a lab with --flow {common['flow']}",
            param_hint="'--flow'",
        )
    common["flow"] = flow
    return common


def parse_filters(text: str | None) -> tuple[str, ...] | None:
    """``--enabled-filters``: known filter names, comma separated, each once."""
    if text is None:
        return None
    from bootwalk.scheduler import FILTERS

    names = tuple(name.strip() for name in text.split(",") if name.strip())
    for name in names:
        if name not in FILTERS:
            raise click.BadParameter(
                f"unknown filter {name!r}; known filters: {', '.join(FILTERS)}", param_hint="'--enabled-filters'"
            )
    if len(set(names)) != len(names):
        raise click.BadParameter("lists a filter twice", param_hint="'--enabled-filters'")
    return names
