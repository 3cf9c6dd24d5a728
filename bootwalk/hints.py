"""The bootwalk commands that pages print for the reader to run, each with the exit code it ends with.

A hint is data: the whole command line, as printed, so that a student can
type it as it stands, and the exit code the command ends with (0: the walk
ends ACTIVE, or the command shows something; 1: the walk ends in ERROR or
nova refuses the request). Scenarios, troubles and glossary terms keep
their hints next to them; a test runs every hint bootwalk can print.
"""

from __future__ import annotations

import shlex
from typing import NamedTuple

from bootwalk.exit_codes import ExitCode

#: The README's demo boot without the server's name: the walk explain pages show, and where walk hints start.
DEMO_BOOT = ("bootwalk", "boot", "--image", "cirros", "--flavor", "m1.tiny", "--nic", "net-name=private")

#: The demo server's name: the last word of every walk hint.
DEMO_NAME = "demo-vm"


class Hint(NamedTuple):
    """A command to run, as printed, and the exit code it ends with."""

    #: The whole command line, starting with ``bootwalk``.
    command: str
    #: What the command exits with: OK when the walk ends ACTIVE, ERROR when it ends in ERROR or is refused.
    exit_code: ExitCode = ExitCode.OK

    def in_flow(self, flow: str | None) -> Hint:
        """The same walk in another flow: ``--flow NAME`` before the server's name; None keeps the hint.

        A hint that names its flow already keeps it.
        """
        words = shlex.split(self.command)
        if flow is None or "--flow" in words:
            return self
        return self._replace(command=shlex.join((*words[:-1], "--flow", flow, words[-1])))


#: The shipped cloud.yaml's server groups and a server, by UUID: nova takes a hint's group or server by UUID only.
WEB_HA = "2c4e6a8b-0d2f-4a6c-8e0b-2d4f6a8c0e1a"
DB_NEAR = "4e6a8c0d-2f4b-4c8e-a0d2-4f6a8c0e2b3c"
WEB_2 = "7f9b1d3e-5a7c-4e9a-8c3d-5f7b9d1f3a52"


def demo_boot(*options: str, exit_code: ExitCode = ExitCode.OK) -> Hint:
    """The demo boot with more options, which come before the server's name."""
    return Hint(shlex.join((*DEMO_BOOT, *options, DEMO_NAME)), exit_code)


def command_lines(command: str, width: int, taken: int = 0, indent: int = 4) -> list[str]:
    """The command in lines that fit ``width``, broken between arguments, each line but the last ending in ``\\``.

    The first line has ``taken`` columns used already (a label before it);
    the lines after it start ``indent`` spaces further in. An option stays
    on the line of its value, so the lines read, and paste, as one command.
    """
    words = shlex.split(command)
    pieces: list[str] = []
    index = 0
    while index < len(words):
        word = shlex.quote(words[index])
        following = words[index + 1] if index + 1 < len(words) else None
        if word.startswith("-") and following is not None and not following.startswith("-"):
            word = f"{word} {shlex.quote(following)}"
            index += 1
        pieces.append(word)
        index += 1
    lines: list[str] = []
    current, used = "", taken
    for number, piece in enumerate(pieces):
        more = number + 1 < len(pieces)
        candidate = f"{current} {piece}" if current else piece
        if current and used + len(candidate) + (2 if more else 0) > width:
            lines.append(current + " \\")
            current, used = " " * (taken + indent) + piece, 0
            continue
        current = candidate
    lines.append(current)
    return lines
