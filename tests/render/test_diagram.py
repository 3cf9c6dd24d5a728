"""The exports for slides and notes: Mermaid's sequence diagram and the Markdown table."""

from __future__ import annotations

import re

from click.testing import CliRunner

from bootwalk.cli import cli
from bootwalk.engine import resolve_request
from bootwalk.model import Catalog
from bootwalk.render.diagram import markdown, mermaid
from bootwalk.scenarios import SCENARIOS
from bootwalk.trace import Service
from tests.conftest import DEMO_ARGS, demo_request
from tests.walking import walk

ARROW = re.compile(r"^    (\w+)(-->>|->>|-\))(\w+): (.+)$")
PARTICIPANT = re.compile(r"^    participant (\w+) as (.+)$")
NOTE = re.compile(r"^    Note over (\w+): Step (\d+)(?: \(attempt (\d+)\))?: ([\w-]+), (\w+)$")


def parse(text: str) -> tuple[dict[str, str], list[tuple[str, ...]]]:
    """Participants (id → name) and, in order, every note and arrow; fail on any other line."""
    lines = text.splitlines()
    assert lines[0] == "sequenceDiagram"
    participants: dict[str, str] = {}
    events: list[tuple[str, ...]] = []
    for line in lines[1:]:
        if match := PARTICIPANT.match(line):
            participants[match[1]] = match[2]
        elif match := NOTE.match(line):
            events.append(("step", match[2], match[3] or "1"))
        elif match := ARROW.match(line):
            assert match[1] in participants and match[3] in participants, line
            assert ";" not in match[4] and "#" not in match[4], line
            events.append(("arrow", match[1], match[2], match[3], match[4].split(":")[0]))
        else:
            raise AssertionError(f"not a Mermaid line bootwalk writes: {line!r}")
    return participants, events


def test_mermaid_has_one_participant_per_service_and_the_handoffs_in_step_order(demo, catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    trace = walk(demo, catalog)
    participants, events = parse(mermaid(trace))
    used = {h.source for s in trace.steps for h in s.handoffs} | {h.target for s in trace.steps for h in s.handoffs}
    used |= {s.service for s in trace.steps}  # a step with no handoff still has its service's lane
    # A skipped step still has its save: task_state block_device_mapping, written even with no volume.
    assert "    Note over nova_compute: Step 11: cinder, skipped" in mermaid(trace).splitlines()
    assert list(participants.values()) == [service.value for service in Service if service in used]
    assert [e[1] for e in events if e[0] == "step"] == [str(n) for n in range(1, 13)]
    arrows = [(e[1], e[2], e[3], e[4]) for e in events if e[0] == "arrow"]
    expected = [
        (h.source.value.replace("-", "_").replace(" ", "_"), h.target.value.replace("-", "_").replace(" ", "_"), h.call)
        for s in trace.steps
        for h in s.handoffs
    ]
    assert [(a[0], a[2], a[3].removesuffix(" (story)")) for a in arrows] == expected
    assert arrows[0] == ("client", "->>", "keystone", "POST /v3/auth/tokens")
    assert arrows[1] == ("keystone", "-->>", "client", "201 Created")
    assert ("nova_api", "-)", "message_queue", "build_instances") in arrows


def test_mermaid_marks_the_attempts_of_a_rescheduled_walk(catalog: Catalog) -> None:
    trace = walk(resolve_request(demo_request(), catalog), catalog, scenario=SCENARIOS["spawn-failed"])
    _participants, events = parse(mermaid(trace))
    steps = [(e[1], e[2]) for e in events if e[0] == "step"]
    assert steps[11] == ("12", "1")
    assert steps[12] == ("4", "2")
    assert steps[-1] == ("12", "2")


def test_markdown_table_has_a_row_per_step(demo, catalog: Catalog) -> None:  # type: ignore[no-untyped-def]
    text = markdown(walk(demo, catalog))
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| # ")]
    assert len(rows) == 12
    assert rows[0].startswith("| 1 | The client sends the user's credentials to keystone | keystone | ok | ")
    assert rows[-1].endswith("| active / None / RUNNING (1) |")
    assert all(row.count(" | ") == 5 for row in rows)
    assert text.rstrip().endswith("Outcome: **ACTIVE**")


def test_boot_prints_the_exports_on_stdout() -> None:
    runner = CliRunner()
    for name, first in (("mermaid", "sequenceDiagram\n"), ("markdown", "# bootwalk: demo-vm\n")):
        result = runner.invoke(cli, [*DEMO_ARGS, "-f", name], prog_name="bootwalk", catch_exceptions=False)
        assert result.exit_code == 0
        assert result.stdout.startswith(first)
        assert result.stderr == ""
