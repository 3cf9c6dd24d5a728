"""The glossary: a term for every filter, weigher and service, found by any name, shown as a page or a list."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from bootwalk.cli import cli
from bootwalk.exit_codes import ExitCode
from bootwalk.glossary import BY_NAME, READ_ONE, TERMS, TermKind, find_term, normalise
from bootwalk.scheduler import FILTERS, WEIGHERS
from bootwalk.trace import POWER_STATE_NAMES, Service


def run(arguments: list[str], columns: int = 80):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, arguments, prog_name="bootwalk", env={"COLUMNS": str(columns)})


def _stripped(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


@pytest.mark.parametrize("name", list(FILTERS))
def test_every_filter_has_a_term(name: str) -> None:
    term = find_term(name)
    assert term is not None and (term.name, term.kind) == (name, TermKind.FILTER)


@pytest.mark.parametrize("name", list(WEIGHERS))
def test_every_weigher_has_a_term(name: str) -> None:
    term = find_term(name)
    assert term is not None and (term.name, term.kind) == (name, TermKind.WEIGHER)


@pytest.mark.parametrize("service", list(Service))
def test_every_service_has_a_term(service: Service) -> None:
    assert find_term(service.value) is not None, service.value


def test_every_see_also_names_a_term_and_no_name_means_two_terms() -> None:
    for term in TERMS:
        for other in term.see_also:
            found = find_term(other)
            assert found is not None and found.name == other, (term.name, other)
            assert other != term.name
    names = [normalise(name) for term in TERMS for name in (term.name, *term.aliases)]
    assert len(names) == len(set(names)) == len(BY_NAME)


def test_definitions_are_two_to_four_sentences_and_summaries_one_short_line() -> None:
    for term in TERMS:
        sentences = re.findall(r"[.!?](?=\s|$)", term.definition)
        assert 2 <= len(sentences) <= 4, (term.name, len(sentences))
        assert "\n" not in term.summary and not term.summary.endswith(".")


def test_power_state_names_every_number_nova_has() -> None:
    definition = find_term("power_state").definition  # type: ignore[union-attr]
    assert all(f"{number} {name}" in definition for number, name in POWER_STATE_NAMES.items())


@pytest.mark.parametrize(
    ("asked", "term"),
    [("cast", "RPC cast"), ("rpc cast", "RPC cast"), ("RPC-Cast", "RPC cast"), ("RamFilter", "RamFilter"),
     ("ramfilter", "RamFilter"), ("nova-scheduler", "nova-scheduler"), ("scheduler", "nova-scheduler"),
     ("request spec", "request_spec"), ("VM_STATE", "vm_state"), ("cell0 database", "cell0"),
     ("API database", "databases"), ("alternates", "alternate host")],
)  # fmt: skip
def test_terms_are_found_by_any_case_and_by_their_other_names(asked: str, term: str) -> None:
    found = find_term(asked)
    assert found is not None and found.name == term
    page = run(["explain", asked])
    assert page.exit_code == ExitCode.OK and f"  {term}  " in page.stdout


def test_explain_ramfilter_golden_at_80_columns(golden) -> None:  # type: ignore[no-untyped-def]
    result = run(["explain", "RamFilter"])
    assert (result.exit_code, result.stderr) == (0, "")
    golden("explain-RamFilter-80.txt", _stripped(result.stdout))


def test_glossary_golden_at_80_columns(golden) -> None:  # type: ignore[no-untyped-def]
    result = run(["glossary"])
    assert (result.exit_code, result.stderr) == (0, "")
    golden("glossary-80.txt", _stripped(result.stdout))


def test_glossary_lists_each_term_on_one_line_within_80_columns() -> None:
    lines = run(["glossary"]).stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    rows = [line for line in lines if line.startswith("| ") and not line.startswith("| Term ")]
    assert [row.split("|")[1].strip() for row in rows] == [term.name for term in TERMS]
    assert all(hint.command in " ".join(lines) for hint in READ_ONE)


def test_every_term_page_fits_80_columns() -> None:
    for term in TERMS:
        page = run(["glossary", term.name]).stdout
        assert max(len(line) for line in page.splitlines()) <= 80, term.name
        assert term.summary in page


def test_a_name_that_is_a_step_shows_the_step_and_glossary_shows_the_term() -> None:
    assert run(["explain", "neutron"]).stdout == run(["explain", "10"]).stdout
    term = run(["glossary", "neutron"])
    assert term.exit_code == 0 and "  neutron  service" in term.stdout
    assert run(["explain", "Neutron"]).stdout == term.stdout


def test_an_unknown_term_is_one_line_with_the_closest_names() -> None:
    result = run(["explain", "RamFilterr"])
    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
    assert result.stderr == (
        "Error: Invalid value for 'N|NAME|TERM': no step or term 'RamFilterr'; did you mean: RamFilter? "
        "(see 'bootwalk glossary')\n"
    )
    result = run(["glossary", "nova-schedular"])
    assert (result.exit_code, result.stderr) == (
        ExitCode.USAGE,
        "Error: Invalid value for 'TERM': no term 'nova-schedular'; did you mean: nova-scheduler? "
        "(see 'bootwalk glossary')\n",
    )


def test_glossary_json_has_every_term_and_one_term_alone() -> None:
    listed = json.loads(run(["glossary", "-f", "json"]).stdout)
    assert [entry["term"] for entry in listed] == [term.name for term in TERMS]
    assert set(listed[0]) == {"term", "kind", "summary", "definition", "aliases", "see_also", "shown_by"}
    one = json.loads(run(["glossary", "scheduler", "-f", "json"]).stdout)
    assert one["term"] == "nova-scheduler" and one["kind"] == "service" and "scheduler" in one["aliases"]


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("nova-scheduler casts the request to nova-compute", ["nova-scheduler", "casts", "nova-compute"]),
        ("compute1 wins; the compute hosts", []),  # "compute" alone is an ordinary word here
        ("nova-computes and xnova-api and keystone_x", []),  # only whole words
        ("the cell database and task_state", ["database", "task_state"]),
        ("RamFilter, then RAMWeigher", ["RamFilter", "RAMWeigher"]),
    ],
)
def test_mentions_finds_whole_term_names_and_prose_aliases(sentence: str, found: list[str]) -> None:
    from bootwalk.glossary import mentions

    assert [sentence[m.start : m.end] for m in mentions(sentence)] == found
