"""At beginner level the first use of a glossary term in a walk is marked, and every mark answers ``explain``."""

from __future__ import annotations

import io
import re

import pytest
from click.testing import CliRunner

from bootwalk.cli import cli
from bootwalk.exit_codes import ExitCode
from bootwalk.glossary import mentions
from bootwalk.model import Catalog
from bootwalk.render import Level
from bootwalk.render.table import STATE_LEGEND, TERM_LEGEND, TERM_MARK, TableRenderer
from bootwalk.scenarios import SCENARIOS
from tests.conftest import render_table
from tests.render.test_levels import demo_walk

MARKED = re.compile(rf"([\w-]+){TERM_MARK}")


def marked(text: str) -> list[str]:
    return MARKED.findall(text)


def test_the_demo_walk_marks_each_term_where_it_first_appears(catalog: Catalog) -> None:
    text = render_table(demo_walk(catalog), 80, level=Level.BEGINNER)
    assert text.splitlines()[:4] == [TERM_LEGEND, STATE_LEGEND, "", " Step 1/12  keystone · ok"]
    assert marked(text) == [
        "client", "keystone", "token", "nova-api", "nova-conductor", "nova-scheduler", "weighs", "casts",
        "nova-compute", "database", "glance", "neutron", "cinder", "hypervisor",
    ]  # fmt: skip
    assert (
        "Step 4/12  nova-scheduler · ok\nnova-conductor° takes the request; nova-scheduler° filters and weighs°" in text
    )
    assert "\ncompute1 wins: the highest weight, 1.0 (12288 MB RAM free).\n" in text  # the deciding numbers


@pytest.mark.parametrize("level", [Level.OPERATOR, Level.DEVELOPER])
def test_other_levels_mark_nothing(catalog: Catalog, level: Level) -> None:
    text = render_table(demo_walk(catalog), 80, level=level)
    assert TERM_MARK not in text
    assert TERM_LEGEND not in text and STATE_LEGEND not in text


def test_quiet_prints_neither_the_legend_nor_a_mark(catalog: Catalog) -> None:
    from bootwalk.render import Detail

    text = render_table(demo_walk(catalog), 80, level=Level.BEGINNER, detail=Detail.QUIET)
    assert TERM_MARK not in text and "glossary" not in text


@pytest.mark.parametrize("flow", ["classic", "modern"])
@pytest.mark.parametrize("scenario", [None, *SCENARIOS])
def test_a_term_is_marked_once_per_walk_and_every_mark_is_explained(
    catalog: Catalog, flow: str, scenario: str | None
) -> None:
    text = render_table(demo_walk(catalog, flow, scenario), 80, level=Level.BEGINNER)
    words = marked(text)
    terms = [mentions(word)[0].term.name for word in words]
    assert len(terms) == len(set(terms)), words
    for word in set(words):
        result = CliRunner().invoke(cli, ["explain", word], prog_name="bootwalk", env={"COLUMNS": "80"})
        assert result.exit_code == ExitCode.OK, (word, result.output)


def test_the_presenter_marks_by_the_walk_s_order_whatever_step_is_shown_first(catalog: Catalog) -> None:
    trace = demo_walk(catalog)
    renderer = TableRenderer(io.StringIO(), width=80, level=Level.BEGINNER)
    renderer.note_terms(trace.steps)
    by_number = {step.number: step for step in trace.steps}
    for number, expected in ((9, ["glance"]), (5, []), (1, ["client", "keystone"]), (9, ["glance"])):
        out = io.StringIO()
        renderer.console.file = out
        for part in renderer.step_parts(by_number[number]):
            renderer.console.print(part)
        assert marked(out.getvalue()) == expected, number


def test_a_stream_without_unicode_gets_an_asterisk(catalog: Catalog) -> None:
    out = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    renderer = TableRenderer(out, width=80, level=Level.BEGINNER)
    trace = demo_walk(catalog)
    renderer.on_step(trace.steps[0])
    out.flush()
    text = out.buffer.getvalue().decode("ascii")  # type: ignore[attr-defined]
    assert "Words marked * are in the glossary: bootwalk explain WORD" in text
    assert "The client* sends the user's credentials to keystone*" in text
