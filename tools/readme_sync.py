"""Keep README.md's generated blocks in step with what the tool prints.

Each block sits between ``<!-- generated:NAME -->`` and
``<!-- /generated:NAME -->``; its body is a fenced code block that
:func:`render_block` makes by running bootwalk itself at 80 columns.

    python tools/readme_sync.py          # rewrite the blocks
    python tools/readme_sync.py --check  # exit 1 when a block is stale
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

README = Path(__file__).resolve().parent.parent / "README.md"
DEMO = ["boot", "--image", "cirros", "--flavor", "m1.tiny", "--nic", "net-name=private", "demo-vm"]


def _run(arguments: list[str]) -> str:
    from bootwalk.cli import cli

    result = CliRunner().invoke(cli, arguments, prog_name="bootwalk", env={"COLUMNS": "80", "NO_COLOR": "1"})
    return "\n".join(line.rstrip() for line in result.output.splitlines())


def _between(text: str, start: str, end: str | None) -> str:
    begin = text.index(start)
    finish = text.index(end, begin) if end else len(text)
    return text[begin:finish].rstrip()


def _sample() -> str:
    output = _run(DEMO)
    return _between(output, " Step 4/12", " Step 5/12") + "\n…\n" + _between(output, "Recap:", None)


def _reschedule_sample() -> str:
    output = _run([*DEMO, "--scenario", "spawn-failed"])
    return _between(output, " Step 12/12", " Step 4/12") + "\n…\n" + _between(output, "Attempts", "Recap:")


BLOCKS: dict[str, Callable[[], str]] = {
    "sample": _sample,
    "scenarios": lambda: _run(["scenarios"]),
    "reschedule-sample": _reschedule_sample,
    "help": lambda: _run(["--help"]),
    "boot-help": lambda: _run(["boot", "--help"]),
}


def render_block(name: str) -> str:
    """The fenced body of one generated block."""
    return "```text\n" + BLOCKS[name]().rstrip() + "\n```"


def synced(text: str) -> str:
    """README text with every generated block brought up to date."""
    for name in BLOCKS:
        pattern = re.compile(rf"(<!-- generated:{name} -->\n).*?(\n<!-- /generated:{name} -->)", re.DOTALL)
        if not pattern.search(text):
            raise SystemExit(f"README.md has no generated:{name} block")
        body = render_block(name)
        text = pattern.sub(lambda match, body=body: match.group(1) + body + match.group(2), text)
    return text


def main(argv: list[str]) -> int:
    current = README.read_text(encoding="utf-8")
    wanted = synced(current)
    if "--check" in argv:
        if wanted != current:
            print("README.md is out of date: run python tools/readme_sync.py", file=sys.stderr)
            return 1
        return 0
    if wanted != current:
        README.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
