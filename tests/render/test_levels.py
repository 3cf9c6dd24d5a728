"""Levels of detail, the recap and the line budgets a projector can take (80 columns, about 35 rows)."""

from __future__ import annotations

import pytest

from bootwalk.engine import resolve_request
from bootwalk.model import Catalog
from bootwalk.render import Level
from bootwalk.render.recap import recap
from bootwalk.scenarios import SCENARIOS
from bootwalk.trace import Trace
from tests.conftest import demo_request, render_table, strip_lines
from tests.walking import walk


def demo_walk(catalog: Catalog, flow: str = "classic", scenario: str | None = None) -> Trace:
    changes = {"boot_volume": "8a1c3e5f-7b9d-4f1a-b3c5-e7f9a1b3c5d7", "image": None}
    request = demo_request(**(changes if scenario == "volume-attach-failed" else {}))
    return walk(resolve_request(request, catalog), catalog, flow, scenario=SCENARIOS[scenario] if scenario else None)


def lines(text: str) -> int:
    return len(text.splitlines())


@pytest.mark.parametrize("level", list(Level))
def test_each_level_at_80_columns(catalog: Catalog, golden, level: Level) -> None:  # type: ignore[no-untyped-def]
    golden(f"demo-{level.value}-80.txt", render_table(demo_walk(catalog), 80, level=level))


def test_the_recap_at_80_columns(catalog: Catalog, golden) -> None:  # type: ignore[no-untyped-def]
    from io import StringIO

    from rich.console import Console

    out = StringIO()
    Console(file=out, width=80, color_system=None).print(recap(demo_walk(catalog, scenario="spawn-failed"), 80))
    golden("recap-spawn-failed-80.txt", strip_lines(out.getvalue()))


@pytest.mark.parametrize("flow", ["classic", "modern"])
def test_the_default_walk_fits_130_lines_and_beginner_80(catalog: Catalog, flow: str) -> None:
    trace = demo_walk(catalog, flow)
    assert lines(render_table(trace, 80)) <= 130
    assert lines(render_table(trace, 80, level=Level.BEGINNER)) <= 80


@pytest.mark.parametrize(("flow", "budget"), [("classic", 20), ("modern", 20)])
def test_the_scheduler_step_fits_20_lines(catalog: Catalog, flow: str, budget: int) -> None:
    # Today's step 4 also asks placement and claims there: three handoffs more than the classic story's.
    text = render_table(demo_walk(catalog, flow), 80)
    start = text.index(" Step 4/")
    step = text[start : text.index(" Step 5/", start)].rstrip("\n")
    assert lines(step) <= budget, step


@pytest.mark.parametrize("scenario", ["spawn-failed", "port-binding-failed"])
@pytest.mark.parametrize("flow", ["classic", "modern"])
def test_a_reschedule_costs_at_most_half_a_walk_more(catalog: Catalog, flow: str, scenario: str) -> None:
    success = lines(render_table(demo_walk(catalog, flow), 80))
    rescheduled = render_table(demo_walk(catalog, flow, scenario), 80)
    assert lines(rescheduled) <= 1.5 * success
    assert "the same calls as attempt 1" in rescheduled


@pytest.mark.parametrize("scenario", [None, *SCENARIOS])
@pytest.mark.parametrize("flow", ["classic", "modern"])
def test_the_recap_fits_one_screen_and_ends_on_the_outcome(catalog: Catalog, flow: str, scenario: str | None) -> None:
    from io import StringIO

    from rich.console import Console

    trace = demo_walk(catalog, flow, scenario)
    out = StringIO()
    Console(file=out, width=80, color_system=None).print(recap(trace, 80))
    text = out.getvalue()
    assert lines(text) <= 30
    assert max(len(line) for line in text.splitlines()) <= 80
    assert text.rstrip().endswith(f"Outcome: {trace.outcome.value}")


@pytest.mark.parametrize("scenario", [None, *SCENARIOS])
@pytest.mark.parametrize("flow", ["classic", "modern"])
def test_the_recap_in_ascii_keeps_each_step_on_one_line(catalog: Catalog, flow: str, scenario: str | None) -> None:
    """ASCII writes … as ..., two columns wider: a cut call must still leave the row on one line."""
    import io
    import re

    from bootwalk.render.table import make_console

    stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors="strict", newline="\n")
    make_console(stream, width=80).print(recap(demo_walk(catalog, flow, scenario), 80))
    stream.flush()
    text = stream.buffer.getvalue().decode("ascii")
    rows = text.split("\n", 2)[2].split("Lanes: ")[0].splitlines()
    assert rows and all(re.match(r"(\s?\d+ |\d+-\d+ the same calls)", row) for row in rows), rows


def test_developer_level_has_the_notes_and_sources_and_operator_none(catalog: Catalog) -> None:
    trace = demo_walk(catalog)
    developer, operator = render_table(trace, 80, level=Level.DEVELOPER), render_table(trace, 80)
    assert developer.count("In real nova: ") == 12 and developer.count("Read: ") == 12
    assert "In real nova: " not in operator and "Read: " not in operator
    assert "Filters: 1 Retry, 2 AvailabilityZone" in operator and "✓ RetryFilter: first attempt" in developer


def test_show_adds_the_servers_full_table(catalog: Catalog) -> None:
    trace = demo_walk(catalog)
    assert "| status " not in render_table(trace, 80)
    assert "| status                               | ACTIVE" in render_table(trace, 80, show_server=True)


@pytest.mark.parametrize(("flow", "same_host", "host"), [("classic", "Step 5/12  nova-scheduler", "compute4"),
                                                         ("modern", "Step 6/9  nova-compute", "compute2")])  # fmt: skip
def test_a_repeated_step_says_what_it_passes_now(catalog: Catalog, flow: str, same_host: str, host: str) -> None:
    text = render_table(demo_walk(catalog, flow, "spawn-failed"), 80, total_steps=12 if flow == "classic" else 9)
    # The calls are those of attempt 1, but they go to the new host, and neutron hands out a new port.
    assert f" {same_host} · attempt 2: the same calls as attempt 1, on {host}\n" in text
    # Icehouse's POST names the host too (binding:host_id), so the classic line says "on compute4" first.
    on = ", on compute4" if flow == "classic" else ""
    assert (
        f"attempt 2: the same calls as attempt 1{on}\n  now: port a9b5d0a5…, MAC fa:16:3e:9c:c0:fe, IP 10.0.2.52\n"
        in text
    )


@pytest.mark.parametrize(("flow", "number"), [("classic", 11), ("modern", 8)])
def test_the_recap_keeps_a_failed_step_s_mark_when_its_call_is_cut(catalog: Catalog, flow: str, number: int) -> None:
    from io import StringIO

    from rich.console import Console

    out = StringIO()
    Console(file=out, width=80, color_system=None).print(recap(demo_walk(catalog, flow, "volume-attach-failed"), 80))
    row = next(line for line in out.getvalue().splitlines() if line.startswith(f"{number:>2} "))
    assert row.rstrip().endswith("… (failed)"), row
    assert len(row.rstrip()) <= 80


def test_operator_level_says_once_what_story_marks(catalog: Catalog) -> None:
    text = render_table(demo_walk(catalog), 80)
    legend = "(story) marks the classic story's call, not nova's: see --level developer."
    assert text.count(legend) == 1
    assert text.index("get flavor (story)") < text.index(legend) < text.index(" Step 8/12")
    assert legend not in render_table(demo_walk(catalog, "modern"), 80)  # today's flow tells no story
