"""``bootwalk explain``: one step as a page to read out in class."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from bootwalk.render.table import handoff_table
from bootwalk.render.theme import style_name
from bootwalk.trace import StepRecord
from bootwalk.troubleshooting import Trouble


def explain_page(
    number: int, total: int, record: StepRecord | None, troubles: tuple[Trouble, ...], width: int
) -> RenderableType:
    """What happens and what is passed, what can go wrong and how to see it, and the note."""
    assert record is not None, "the demo walk reaches every step"
    heading = Text()
    heading.append(f" Step {number}/{total} ", style="step.number")
    heading.append(" ")
    heading.append(record.service.value, style=style_name(record.service))
    heading.append(f" · {record.name}\n")
    heading.append(record.title, style="step.title")
    parts: list[RenderableType] = [heading]
    passed = Text("\nWhat is passed", style="note.label")
    passed.append(" (in the demo walk: bootwalk boot --image cirros --flavor m1.tiny --nic net-name=private demo-vm)")
    parts.append(passed)
    if record.handoffs:
        parts.append(handoff_table(record, width))
    else:
        parts.append(Text(record.detail or "Nothing, in the demo walk."))
    if record.state is not None:
        state = Text("State after: ", style="note.label")
        state.append(record.state.describe(), style="state")
        parts.append(state)
    wrong = Text("\nWhat can go wrong, and how to see it\n", style="note.label")
    for index, trouble in enumerate(troubles):
        if index:
            wrong.append("\n")
        wrong.append("• ")
        wrong.append(trouble.symptom + "\n")
        wrong.append("  See: ", style="note.label")
        wrong.append(trouble.how_to_see + "\n")
        if trouble.scenario:
            wrong.append("  Try it: ", style="note.label")
            wrong.append(f"bootwalk boot ... --scenario {trouble.scenario}\n", style="channel")
    parts.append(wrong)
    note = Text("In real nova: ", style="note.label")
    note.append(record.note, style="note")
    note.append("\nRead: ", style="note.label")
    note.append(record.source, style="note")
    parts.append(note)
    return Panel(Group(*parts), box=box.ROUNDED, padding=(0, 1), expand=True)
