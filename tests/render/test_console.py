"""BootwalkConsole writes unstyled text that fits as it is: always what rich's own layout writes."""

from __future__ import annotations

import io

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rich.console import Console, Group
from rich.text import Text

from bootwalk.model import Catalog
from bootwalk.render import Level
from bootwalk.render.console import BootwalkConsole, plain_text
from bootwalk.render.table import TableRenderer
from bootwalk.scenarios import SCENARIOS
from tests.render.test_levels import demo_walk


def rendered(trace, width: int, level: Level) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    renderer = TableRenderer(out, width=width, level=level, show_server=True)
    for step in trace.steps:
        renderer.on_step(step)
    renderer.finish(trace)
    return out.getvalue()


@pytest.mark.parametrize("level", list(Level))
@pytest.mark.parametrize("flow", ["classic", "modern"])
def test_every_walk_reads_the_same_as_rich_lays_it_out(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch, flow: str, level: Level
) -> None:
    """Every scenario, at 40 to 120 columns, byte for byte, trailing spaces included."""
    written: list[int] = []
    plain = BootwalkConsole.print

    def counting(self: BootwalkConsole, *objects: object, **options: object) -> None:
        if not options and len(objects) == 1 and plain_text(objects[0], self.width) is not None:
            written.append(1)
        plain(self, *objects, **options)

    for scenario in [None, *SCENARIOS]:
        trace = demo_walk(catalog, flow, scenario)
        for width in (40, 60, 80, 120):
            monkeypatch.setattr(BootwalkConsole, "print", counting)
            fast = rendered(trace, width, level)
            monkeypatch.setattr(BootwalkConsole, "print", Console.print)
            assert fast == rendered(trace, width, level), (scenario, width)
    assert len(written) > 20  # the plain path was taken, not only rich's


def rich_writes(renderable: object, width: int) -> str:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, highlight=False, emoji=False).print(renderable)
    return out.getvalue()


# Mostly what a walk prints (ASCII, ·, °, …, wide characters), with tabs, escapes, zero-width and any other character.
lines = st.text(st.one_of(st.sampled_from("ab  ·°…東"), st.sampled_from("\t\x1b\u200b\u0301"),
                          st.characters(blacklist_categories=("Cs",))), max_size=30)  # fmt: skip
texts = st.builds(
    lambda parts, end, justify: Text("\n".join(parts), end=end, justify=justify),
    st.lists(lines, max_size=4),
    st.sampled_from(["\n", "", " ", "\n\n"]),
    st.sampled_from([None, "default", "left", "right"]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(texts, min_size=1, max_size=3), st.integers(4, 40), st.booleans())
def test_what_is_written_plainly_is_what_rich_writes(parts: list[Text], width: int, grouped: bool) -> None:
    """Any text: when plain_text answers, its answer is rich's own output (tabs, wide and control characters too)."""
    renderable: object = Group(*parts) if grouped else parts[0]
    answer = plain_text(renderable, width)
    if answer is not None:
        assert answer == rich_writes(renderable, width)
    out = io.StringIO()
    BootwalkConsole(file=out, width=width, color_system=None, highlight=False, emoji=False).print(renderable)
    assert out.getvalue() == rich_writes(renderable, width)


def test_text_that_needs_laying_out_goes_to_rich() -> None:
    assert plain_text(Text("a" * 11), 10) is None  # it wraps
    assert plain_text(Text("a\tb"), 10) is None  # the tab expands
    assert plain_text(Text("東京東京東京"), 10) is None  # twelve cells
    assert plain_text(Group(Text("ab", justify="left")), 10) is None  # padded
    assert plain_text(Text("e\u0301" + " " * 9), 10) is None  # ten cells, but rich trims by characters
    assert plain_text(Text("e\u0301" + " " * 8), 10) == "e\u0301" + " " * 8 + "\n"
    assert plain_text(Group(Text("東京", end="")), 10) is None  # it would run on into what follows
    assert plain_text(Text("東京", end="", justify="left"), 10) == "東京\n"  # print's own end, unjustified
    assert plain_text(Group(Text("a"), Text("b\n")), 10) == "a\nb\n\n"


def test_a_console_that_colours_records_or_has_hooks_lays_everything_out() -> None:
    out = io.StringIO()
    console = BootwalkConsole(file=out, width=20, color_system="truecolor", force_terminal=True)
    console.print(Text("red", style="red"))
    assert out.getvalue() == "\x1b[31mred\x1b[0m\n"
    recording = BootwalkConsole(file=io.StringIO(), width=20, color_system=None, record=True)
    recording.print(Text("kept"))
    assert recording.export_text() == "kept\n"


_HOSTS = st.sampled_from(["compute1", "c2", "a-very-long-compute-host-name", "宽主机", "e\u0301", "x"])


@settings(max_examples=300, deadline=None)
@given(
    width=st.integers(40, 140),
    filters=st.integers(0, 12),
    hosts=st.lists(st.tuples(_HOSTS, st.lists(st.sampled_from([True, False, None]), min_size=12, max_size=12),
                             st.floats(-2, 2), st.booleans()), min_size=1, max_size=6),
)  # fmt: skip
def test_the_grid_written_as_text_is_the_grid_rich_draws(width: int, filters: int, hosts: list) -> None:  # type: ignore[type-arg]
    """Hosts removed, passed, not run, weighed, alternates and the winner: the same lines as grid() printed plainly."""
    from bootwalk.render.grid import grid, grid_lines
    from bootwalk.trace import FilterVerdict, HostWeight, Scheduling

    names = tuple(f"Filter{number}" for number in range(filters))
    verdicts, weights, alternates = [], [], []
    for host, answers, weight, alternate in dict((host[0], host) for host in hosts).values():
        said = [(name, answer) for name, answer in zip(names, answers, strict=False) if answer is not None]
        verdicts += [FilterVerdict(host, name, answer, "why") for name, answer in said]
        if all(answer for _name, answer in said):
            weights.append(HostWeight(host, weight))
            alternates += [host] if alternate else []
    selected = weights[0].host if weights else None
    scheduling = Scheduling(names, tuple(verdicts), tuple(weights), selected, alternates=tuple(alternates))
    lines = grid_lines(scheduling, width)
    assume(lines is not None)  # below 60 columns, or squeezed: rich lays out (too many of these fails the test)
    assert rich_writes(lines, width) == rich_writes(grid(scheduling, width), width)
