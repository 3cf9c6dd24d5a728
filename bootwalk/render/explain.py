"""``bootwalk explain``: one step, or one glossary term, as a page to read out in class."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from bootwalk.glossary import Term
from bootwalk.hints import Hint, command_lines
from bootwalk.render.table import handoff_table, scheduling_table
from bootwalk.render.theme import style_name
from bootwalk.trace import StepRecord
from bootwalk.troubleshooting import Trouble

#: What a panel takes of the width: its two borders and a column of padding inside each.
PANEL_MARGIN = 4


def append_command(text: Text, label: str, command: str, width: int) -> None:
    """A labelled command, broken between its arguments with ``\\`` so that every line fits and pastes."""
    text.append(label, style="note.label")
    lines = command_lines(command, width, taken=len(label))
    text.append("\n".join(lines) + "\n", style="channel")


def explain_page(
    number: int,
    total: int,
    record: StepRecord | None,
    troubles: Sequence[tuple[Trouble, Hint | None]],
    width: int,
    demo: Hint,
    release: tuple[str, str],
) -> RenderableType:
    """What happens and what is passed, what can go wrong and how to see it, and the note.

    Each trouble comes with the command that shows it, if any; ``demo`` is
    the walk the page shows; ``release`` is the release the flow shows and
    the tag its sources are read at.
    """
    shown, tag = release
    assert record is not None, "the demo walk reaches every step"
    heading = Text()
    heading.append(f" Step {number}/{total} ", style="step.number")
    heading.append(" ")
    heading.append(record.service.value, style=style_name(record.service))
    heading.append(f" · {record.name} · {shown}\n")
    heading.append(record.title, style="step.title")
    parts: list[RenderableType] = [heading]
    passed = Text("\nWhat is passed", style="note.label")
    passed.append(f" (in the demo walk: {demo.command})")
    parts.append(passed)
    if record.handoffs:
        parts.append(handoff_table(record, width))
    else:
        parts.append(Text(record.detail or "Nothing, in the demo walk."))
    if record.scheduling is not None:
        parts.append(Text("\nEach filter's reasoning for every host, then the weights", style="note.label"))
        parts.append(scheduling_table(record.scheduling, width - PANEL_MARGIN))
    if record.state is not None:
        state = Text("State after: ", style="note.label")
        state.append(record.states_text(), style="state")
        parts.append(state)
    wrong = Text("\nWhat can go wrong, and how to see it\n", style="note.label")
    for index, (trouble, hint) in enumerate(troubles):
        if index:
            wrong.append("\n")
        wrong.append("• ")
        wrong.append(trouble.symptom + "\n")
        wrong.append("  See: ", style="note.label")
        wrong.append(trouble.how_to_see + "\n")
        if hint is not None:
            append_command(wrong, "  Try it: ", hint.command, width - PANEL_MARGIN)
    parts.append(wrong)
    note = Text("In real nova: ", style="note.label")
    note.append(record.note, style="note")
    note.append(f"\nRead at nova {tag}: ", style="note.label")
    note.append(record.source, style="note")
    parts.append(note)
    return Panel(Group(*parts), box=box.ROUNDED, padding=(0, 1), expand=True)


def term_page(term: Term, width: int) -> RenderableType:
    """A glossary term as a page: its name and kind, what it is, other names, what to read next, what shows it."""
    heading = Text()
    heading.append(f" {term.name} ", style="step.number")
    heading.append(" ")
    heading.append(term.kind.value, style=style_name(term.service) if term.service else "")
    heading.append("\n")
    heading.append(term.summary, style="step.title")
    parts: list[RenderableType] = [heading, Text("\n" + term.definition)]
    more = Text("\n")
    if term.aliases:
        more.append("Also called: ", style="note.label")
        more.append(", ".join(term.aliases) + "\n")
    if term.see_also:
        more.append("See also: ", style="note.label")
        more.append(", ".join(term.see_also) + "\n")
    for index, hint in enumerate(term.shown_by):
        append_command(more, "See it: " if index == 0 else "    or: ", hint.command, width - PANEL_MARGIN)
    more.rstrip()
    parts.append(more)
    return Panel(Group(*parts), box=box.ROUNDED, padding=(0, 1), expand=True)
