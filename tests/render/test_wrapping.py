"""No identifier is broken inside a word: calls stay whole, or break only after / or _ with indented continuations."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.text import Text

from bootwalk.engine import resolve_request
from bootwalk.model import Catalog
from bootwalk.render import Level
from bootwalk.render.wrapping import identifier_lines
from bootwalk.scenarios import SCENARIOS
from bootwalk.trace import Handoff, StepRecord, Trace, Work
from tests.conftest import demo_request, render_table
from tests.walking import walk

WIDTHS = [40, 47, 59, 60, 72, 80, 100, 120]


def walks(catalog: Catalog) -> list[Trace]:
    volume = {"boot_volume": "8a1c3e5f-7b9d-4f1a-b3c5-e7f9a1b3c5d7", "image": None}
    return [
        walk(resolve_request(demo_request(**(volume if scenario == "volume-attach-failed" else {})), catalog), catalog,
             flow, scenario=SCENARIOS[scenario] if scenario else None)
        for flow in ("classic", "modern")
        for scenario in (None, *SCENARIOS)
    ]  # fmt: skip


def pieces(call: str, text: str) -> bool:
    """Whether the call is in the text whole on a line, or in pieces that end in / or _ with indented rests."""
    lines = text.splitlines()
    if any(call in line for line in lines):
        return True
    for number, line in enumerate(lines):
        stripped = line.rstrip()
        if not stripped or not call.startswith(stripped.split(" ")[-1]):
            continue
        rebuilt, index = stripped.split(" ")[-1], number + 1
        while rebuilt != call and index < len(lines) and rebuilt[-1] in "/_." and lines[index].startswith("  "):
            rebuilt += lines[index].strip().split(" ")[0]
            index += 1
        if rebuilt == call:
            return True
    return False


def grouped_handoffs(step: StepRecord) -> list[Handoff]:
    """The handoffs the operator level shows as one line a run: two or more lookups, or checks, in a row."""
    grouped: list[Handoff] = []
    for _work, run in itertools.groupby(step.handoffs, key=lambda h: h.work):
        handoffs = list(run)
        if _work in (Work.LOOKUP, Work.VALIDATE) and len(handoffs) > 1:
            grouped.extend(handoffs)
    return grouped


@pytest.mark.parametrize("level", [Level.OPERATOR, Level.DEVELOPER])
def test_no_call_is_broken_inside_a_word_at_any_width(catalog: Catalog, level: Level) -> None:
    for trace in walks(catalog):
        for width in WIDTHS:
            text = render_table(trace, width, level=level)
            calls = {handoff.call for step in trace.steps for handoff in step.handoffs}
            if level is Level.OPERATOR:  # one line per handoff: the call whole, or cut with … where it cannot fit
                calls = {call for call in calls if len(call) <= width // 2}
                # the client's lookups and nova-api's checks are one line each run: "4 lookups", "3 checks"
                grouped = {h.call for step in trace.steps for h in grouped_handoffs(step)}
                shown = {h.call for step in trace.steps for h in step.handoffs if h not in grouped_handoffs(step)}
                calls -= grouped - shown
            broken = [call for call in calls if not all(pieces(word, text) for word in call.split())]
            assert broken == [], (trace.flow, trace.scenario, width, broken)


def test_log_lines_and_reasons_continue_indented(catalog: Catalog) -> None:
    for trace in walks(catalog):
        for width in (40, 80):
            text = render_table(trace, width)
            lines = text.splitlines()
            for number, line in enumerate(lines):
                if line.startswith("In the logs"):
                    logs = []
                    for follow in lines[number + 1 :]:
                        if not follow.startswith("  "):
                            break
                        logs.append(follow)
                    assert all(re.match(r"  \S| {4}\S", log) for log in logs), logs


@settings(max_examples=200, deadline=None)
@given(
    parts=st.lists(st.text(alphabet="abcdefghij{}", min_size=1, max_size=12), min_size=1, max_size=8),
    separators=st.lists(st.sampled_from("/_."), min_size=8, max_size=8),
    width=st.integers(min_value=10, max_value=60),
)
def test_identifier_lines_break_only_after_separators(parts: list[str], separators: list[str], width: int) -> None:
    identifier = "".join(part + separator for part, separator in zip(parts, separators, strict=False)).rstrip("/_.")
    lines = identifier_lines(Text(identifier), width, indent=2).plain.split("\n")
    assert "".join(line.strip() for line in lines) == identifier
    for line in lines[:-1]:
        assert line.rstrip()[-1] in "/_."
    for line in lines[1:]:
        assert line.startswith("  ")
    for line in lines:  # a line is longer than the width only when it has no separator to break at sooner
        assert len(line) <= width or not any(separator in line.strip()[:-1] for separator in "/_.")


@pytest.mark.parametrize("flow", ["classic", "modern"])
@pytest.mark.parametrize("width", [40, 47, 59])
def test_the_grid_keeps_each_host_on_one_line_when_narrow(catalog: Catalog, flow: str, width: int) -> None:
    trace = walk(resolve_request(demo_request(), catalog), catalog, flow)
    text = render_table(trace, width)
    rows = [line for line in text.splitlines() if line.startswith("compute") and ("✓" in line or "✗" in line)]
    assert [row.split()[0] for row in rows[:4]] == ["compute1", "compute2", "compute3", "compute4"]
    assert all(len(row) <= width for row in rows)
    assert "removed" in rows[2], rows
    # Today's scheduler returns alternates; Icehouse's returned the chosen host alone.
    assert ("alternate" in rows[1]) is (flow == "modern"), rows


@pytest.mark.parametrize("width", [60, 72, 80, 100])
def test_operator_tables_never_cut_a_service_name_or_a_call(catalog: Catalog, width: int) -> None:
    for trace in walks(catalog):
        text = render_table(trace, width)
        for step in trace.steps:
            lookups = [h for h in step.handoffs if h.work is Work.LOOKUP]
            if len(lookups) > 1:  # the client's lookups: one line, "client → nova-api  4 lookups  flavor ..."
                assert f"{len(lookups)} lookups" in text and "client → nova-api" in text, (trace.flow, width)
            checks = [h for h in step.handoffs if h.work is Work.VALIDATE]
            if len(checks) > 1:  # nova-api's checks with neutron: "nova-api → neutron  3 checks  networks, ..."
                assert f"{len(checks)} checks" in text and "nova-api → neutron" in text, (trace.flow, width)
            for handoff in step.handoffs:
                if handoff in grouped_handoffs(step):
                    continue
                party = f"{handoff.source.value} → {handoff.target.value}"
                assert party in text, (trace.flow, trace.scenario, width, party)
                assert handoff.call in text, (trace.flow, trace.scenario, width, handoff.call)


@given(st.lists(st.text("abc-/_", min_size=1, max_size=14), min_size=1, max_size=20), st.integers(20, 120))
def test_hanging_lines_break_at_spaces_and_indent_every_continuation(words: list[str], width: int) -> None:
    from bootwalk.render.wrapping import hanging_lines

    lines = hanging_lines(Text(" ".join(words)), width).plain.split("\n")
    assert " ".join(line.strip() for line in lines).split(" ") == words  # every word whole, in order
    assert all(line.startswith("  ") and not line.startswith("   ") for line in lines[1:])
    assert all(len(line) <= width or " " not in line.strip() for line in lines)


def test_the_header_s_other_dialect_line_continues_indented_at_80_columns() -> None:
    from click.testing import CliRunner

    from bootwalk.cli import cli
    from tests.conftest import DEMO_ARGS

    result = CliRunner().invoke(cli, DEMO_ARGS, prog_name="bootwalk", env={"COLUMNS": "80"})
    assert result.stdout.splitlines()[:3] == [
        "Release: Icehouse (2014.1), called by today's nova client",
        "In the other dialect: openstack server create --flavor m1.tiny --image cirros",
        "  --network private demo-vm",
    ]
