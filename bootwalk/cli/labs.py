"""The lab commands: ``bootwalk lab create``, ``list``, ``reset``, ``delete`` and ``export``.

What the other commands do in a lab is :mod:`bootwalk.cli.lab_access`.
Loaded only when a lab command runs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from bootwalk.cli.app import BootwalkCommand, BootwalkSubgroup
from bootwalk.cli.errors import OperationalError
from bootwalk.cli.lab_access import catalog_of, lab_catalog
from bootwalk.exit_codes import ExitCode
from bootwalk.lab.exercises import Exercise, ExerciseError, exercises_from
from bootwalk.lab.store import LabError, check_name, create_lab, delete_lab, lab_names, lab_path, open_lab


@click.group(cls=BootwalkSubgroup)
def lab() -> None:
    """Labs: a pretend cloud that remembers its boots, in one file, for the labs a class runs.

    bootwalk lab create NAME makes one from the catalogs; then every
    command given --lab NAME (or BOOTWALK_LAB=NAME) works in it: a boot
    takes its addresses, RAM and quota and keeps its servers, and
    host-list shows what is left. Without a lab nothing is kept.
    """


def _named(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """A lab's name on the command line: one a file may have, else a usage error."""
    try:
        return check_name(value)
    except LabError as error:
        raise click.BadParameter(str(error), ctx=ctx, param=param) from None


@lab.command("create", cls=BootwalkCommand)
@click.argument("name", callback=_named)
@click.option(
    "--catalog",
    "catalog_dir",
    metavar="DIR",
    help="Seed the lab from your own flavors.yaml, images.yaml and cloud.yaml (default: the shipped ones).",
)
@click.option(
    "--flow",
    type=click.Choice(["classic", "modern"]),
    default="classic",
    show_default=True,
    help="The flow every boot in the lab walks.",
)
@click.option(
    "--seed",
    type=click.IntRange(0, 2**62),
    default=42,
    show_default=True,
    metavar="N",
    help="Seed for the IDs of the lab's boots: the same commands from the same seed make the same lab.",
)
@click.option(
    "--exercise",
    metavar="EXERCISE",
    help="Set the lab up for one of the exercises (see 'bootwalk lab exercises'), and print its task.",
)
def create(name: str, catalog_dir: str | None, flow: str, seed: int, exercise: str | None) -> int:
    """Create a lab from the catalogs, and print how to work in it."""
    from bootwalk.catalog import CatalogError, catalog_documents, catalog_from_documents
    from bootwalk.cli.options import load

    if catalog_dir == "":
        raise click.BadParameter("is empty; give a directory, or leave --catalog out", param_hint="'--catalog'")
    chosen = _exercise(exercise) if exercise is not None else None
    documents = catalog_documents(load(catalog_dir))
    if chosen is not None:
        try:
            documents = chosen.set_up(documents)
            catalog_from_documents(documents, Path(f"exercise {chosen.name}"))  # the setup must make a valid cloud
        except (ExerciseError, CatalogError) as error:
            raise OperationalError(str(error)) from None
    try:
        meta: dict[str, str | int] = {"name": name, "flow": flow, "seed": seed, "boots": 0, "clock": 0,
                                      "exercise": chosen.name if chosen else ""}  # fmt: skip
        path = create_lab(name, meta, documents)
    except LabError as error:
        raise OperationalError(str(error)) from None
    source = catalog_dir or "the shipped catalogs"
    click.echo(_wrapped(f"Created lab {name} from {source}, walking the {flow} flow: {path}"))
    click.echo("Work in it with --lab on each command, or for this shell:")
    click.echo(f"  export BOOTWALK_LAB={name}")
    if chosen is not None:
        _print_task(chosen, name)
    return ExitCode.OK


def _exercises() -> tuple[Exercise, ...]:
    """The shipped exercises, read as a catalog file is (bounded, safe YAML) and checked."""
    from bootwalk.catalog import CatalogError, read_yaml, shipped_catalog_directory

    path = shipped_catalog_directory() / "exercises.yaml"
    try:
        return exercises_from(read_yaml(path), str(path))
    except (CatalogError, ExerciseError) as error:
        raise OperationalError(str(error)) from None


def _exercise(name: str) -> Exercise:
    found = {exercise.name: exercise for exercise in _exercises()}
    if name not in found:
        raise click.BadParameter(
            f"no exercise {name!r}; the exercises are {', '.join(found)} (see bootwalk lab exercises)",
            param_hint="'--exercise'",
        )
    return found[name]


def _wrapped(text: str, indent: str = "", hanging: str | None = None) -> str:
    """Text for the terminal's width (80 without one), never cutting a word: a UUID or a path stays whole."""
    from bootwalk.cli.app import terminal_columns
    from bootwalk.cli.helptext import wrap

    later = indent if hanging is None else hanging
    return "\n".join(wrap(text, max(terminal_columns(), 40), indent, later, cut=False))


def _task_text(task: str) -> str:
    """A task for the terminal: its words wrapped, each command on a line of its own, whole, to copy."""
    out: list[str] = []
    words: list[str] = []
    for line in [*task.splitlines(), ""]:
        if line.strip().startswith("bootwalk ") or not line.strip():
            if words:
                out.append(_wrapped(" ".join(words), "  "))
                words = []
            if line.strip():
                out.append("    " + line.strip())
        else:
            words.append(line.strip())
    return "\n".join(out)


def _print_task(exercise: Exercise, lab_name: str) -> None:
    click.echo("\n" + _wrapped(f"Exercise {exercise.name}: {exercise.title}"))
    click.echo(_task_text(exercise.task))
    click.echo(f"When you think it is done: bootwalk lab check {lab_name}")


@lab.command("exercises", cls=BootwalkCommand)
@click.option("-f", "--format", "output_format", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format.")  # fmt: skip
def exercises(output_format: str) -> int:
    """List the exercises a lab can be created for, with their tasks."""
    chosen = _exercises()
    if output_format == "json":
        records = [{"name": e.name, "title": e.title, "task": e.task, "goals": [g.description for g in e.goals]}
                   for e in chosen]  # fmt: skip
        click.echo(json.dumps(records, indent=2, allow_nan=False))
        return ExitCode.OK
    for exercise in chosen:
        click.echo(_wrapped(f"{exercise.name}: {exercise.title}"))
        click.echo(_task_text(exercise.task))
    click.echo(_wrapped("Start one with: bootwalk lab create NAME --exercise EXERCISE"))
    return ExitCode.OK


@lab.command("check", cls=BootwalkCommand)
@click.argument("name", callback=_named)
def check(name: str) -> int:
    """Say whether the lab's exercise is done, from its servers, and what is still missing (exit 1 until done)."""
    try:
        with open_lab(name) as opened:
            exercise_name, servers = opened.meta("exercise"), opened.servers()
    except LabError as error:
        raise OperationalError(str(error)) from None
    if not exercise_name:
        raise OperationalError(
            f"lab {name} was not created for an exercise: bootwalk lab create NAME --exercise EXERCISE "
            "(see bootwalk lab exercises)"
        )
    exercise = {found.name: found for found in _exercises()}.get(exercise_name)
    if exercise is None:
        raise OperationalError(f"lab {name} is for the exercise {exercise_name!r}, which this bootwalk does not have")
    progress = exercise.progress(servers)
    click.echo(_wrapped(f"Exercise {exercise.name}: {exercise.title}"))
    for goal, found in progress:
        mark = "done" if found >= goal.count else f"not yet ({found} of {goal.count})"
        click.echo(_wrapped(f"{goal.description}: {mark}", "  ", "    "))
    done = all(found >= goal.count for goal, found in progress)
    click.echo("Done: talk it over with the class." if done else "Not done yet.")
    return ExitCode.OK if done else ExitCode.ERROR


def _summary(name: str) -> dict[str, Any]:
    """One lab's line in ``lab list``: its flow, boots and servers, or what is wrong with it."""
    try:
        with open_lab(name) as opened:
            servers = opened.servers()
            return {
                "name": name,
                "flow": opened.flow(),
                "boots": opened.number("boots"),
                "servers": len(servers),
                "active": sum(server["status"] == "ACTIVE" for server in servers),
                "path": lab_path(name),
                "problem": None,
            }
    except LabError as error:
        return {"name": name, "flow": None, "boots": None, "servers": None, "active": None,
                "path": lab_path(name), "problem": str(error)}  # fmt: skip


@lab.command("list", cls=BootwalkCommand)
@click.option("-f", "--format", "output_format", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format.")  # fmt: skip
def list_labs(output_format: str) -> int:
    """List the labs, with their flow and servers."""
    try:
        summaries = [_summary(name) for name in lab_names()]
    except LabError as error:
        raise OperationalError(str(error)) from None
    if output_format == "json":
        click.echo(json.dumps(summaries, indent=2, allow_nan=False))
        return ExitCode.OK
    if not summaries:
        click.echo("No labs yet: bootwalk lab create NAME makes one.")
        return ExitCode.OK
    from bootwalk.listing import Listing
    from bootwalk.render.listing_table import print_listing

    rows: list[tuple[str, ...]] = [
        (s["name"], s["flow"] or "-", "-" if s["boots"] is None else str(s["boots"]),
         "-" if s["servers"] is None else f"{s['servers']} ({s['active']} ACTIVE)", s["problem"] or "")
        for s in summaries
    ]  # fmt: skip
    print_listing(sys.stdout, Listing("Labs", ("Name", "Flow", "Boots", "Servers", "Problem"), rows))
    return ExitCode.OK


@lab.command("reset", cls=BootwalkCommand)
@click.argument("name", callback=_named)
def reset(name: str) -> int:
    """Put a lab back as it was created: no servers, the cloud as seeded."""
    try:
        with open_lab(name, write=True) as opened:
            catalog_of(opened, "seed")  # a damaged seed is refused, and the lab left as it is
            opened.set_documents(opened.documents("seed"))
            opened.clear_servers()
            opened.set_meta("boots", 0)
            opened.set_meta("clock", 0)
    except LabError as error:
        raise OperationalError(str(error)) from None
    click.echo(f"Lab {name} is back as it was created.")
    return ExitCode.OK


@lab.command("delete", cls=BootwalkCommand)
@click.argument("name", callback=_named)
def delete(name: str) -> int:
    """Delete a lab and everything in it."""
    try:
        path = delete_lab(name)
    except LabError as error:
        raise OperationalError(str(error)) from None
    click.echo(f"Deleted lab {name} ({path}).")
    return ExitCode.OK


@lab.command("export", cls=BootwalkCommand)
@click.argument("name", callback=_named)
@click.argument("directory", metavar="DIR")
def export(name: str, directory: str) -> int:
    """Write the lab's cloud as catalog files, which --catalog reads."""
    import shlex

    from bootwalk.catalog import CatalogError, write_catalog

    if directory == "":
        raise click.BadParameter("is empty; give the directory to write the catalog files into", param_hint="'DIR'")
    catalog = lab_catalog(name)
    try:
        with open_lab(name) as opened:
            next_seed = opened.number("seed") + opened.number("boots")
        write_catalog(Path(directory), catalog)
    except LabError as error:
        raise OperationalError(str(error)) from None
    except CatalogError as error:
        raise OperationalError(str(error)) from None
    click.echo(_wrapped(f"Wrote flavors.yaml, images.yaml and cloud.yaml into {directory}."))
    # the seed the lab's next boot would take: a walk from the files with another would make IDs the lab has used
    click.echo("Boot from them where the lab left off:")
    click.echo(f"  bootwalk boot --catalog {shlex.quote(directory)} --seed {next_seed} ...")  # whole, to copy
    return ExitCode.OK
