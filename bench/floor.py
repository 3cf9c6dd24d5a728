"""The start-up floor: what any click + rich + PyYAML tool must do to print one table.

It imports click, rich.console, rich.table and yaml, safe-loads a 10-entry
YAML list (with libyaml's CSafeLoader where PyYAML has it) and prints a
12-row table to standard output. bench/startup_bench.py measures bootwalk
against it, as a ratio.
"""

from __future__ import annotations

import sys

import click  # noqa: F401 - the floor pays for importing it, as bootwalk does
import yaml
from rich.console import Console
from rich.table import Table

DOCUMENT = "\n".join(f"- {{name: item{index}, size: {index}}}" for index in range(10))


def main() -> None:
    entries = yaml.load(DOCUMENT, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    table = Table(title="floor")
    table.add_column("name")
    table.add_column("size")
    for row in range(12):
        entry = entries[row % len(entries)]
        table.add_row(str(entry["name"]), str(entry["size"]))
    Console(file=sys.stdout).print(table)


if __name__ == "__main__":
    main()
