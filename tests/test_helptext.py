"""Help wrapped at spaces: no name cut at its hyphen, no line over the width, every word kept."""

from __future__ import annotations

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from bootwalk.cli import cli
from bootwalk.cli.helptext import wrap, wrap_text

WORDS = st.sampled_from(["nova-scheduler", "a", "the", "image-show')", "[default:", "<dev-name>=<id>:<type>", "x" * 45,
                         "BOOTWALK_CATALOG", "1-4", "--seed"])  # fmt: skip
SPACES = st.sampled_from([" ", " ", "  "])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(WORDS, SPACES), max_size=30), st.integers(10, 100), st.sampled_from(["", "  ", "    "]))
def test_lines_fit_keep_every_character_and_cut_only_words_longer_than_a_line(
    words: list[tuple[str, str]], width: int, indent: str
) -> None:
    text = "".join(word + space for word, space in words)
    lines = wrap(text, width, indent, indent)
    assert all(len(line) <= width for line in lines)
    assert all(line.startswith(indent) and not line[len(indent) :].startswith(" ") for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    room = width - len(indent)
    body = [line[len(indent) :] for line in lines]
    for word, _space in words:
        if len(word) <= room:
            assert any(word in line.split() for line in body) or any(word in line for line in body), word


def test_a_name_is_not_cut_at_its_hyphen_and_click_s_two_spaces_stay() -> None:
    assert wrap("Image metadata property (see 'glance image-show').", 40, "", "  ") == [
        "Image metadata property (see 'glance",
        "  image-show').",
    ]
    assert wrap("Seconds between steps.  [default: 0]", 30) == ["Seconds between steps.", "[default: 0]"]
    assert wrap("Seconds.  [default: 0]", 40) == ["Seconds.  [default: 0]"]
    assert wrap("format <dev-name>=<id>:<type>:<size(GiB)>", 20) == ["format", "<dev-name>=<id>:", "<type>:<size(GiB)>"]


def test_paragraphs_are_wrapped_each_and_a_backspace_block_is_kept_as_written() -> None:
    text = "First paragraph is here.\n\n\b\n  keep   this\n  and this\n\n  Indented one."
    assert wrap_text(text, 20, " ", " ", preserve_paragraphs=True) == (
        " First paragraph is\n here.\n\n   keep   this\n   and this\n\n   Indented one."
    )


def test_boot_help_at_80_columns_keeps_every_name_whole() -> None:
    result = CliRunner().invoke(cli, ["boot", "--help"], terminal_width=80)
    assert result.exit_code == 0
    # --nic's metavar is novaclient's own, 123 characters, on a line of its own as click (and nova help boot) print it
    assert max(len(line) for line in result.output.splitlines() if not line.startswith("  --nic <auto,")) <= 80
    assert "(see 'glance\n" in result.output and "image-show')" in result.output
    assert "flavor-list')" in result.output and "image-list')" in result.output
    # the one cut: a 57-character word in a 46-character column
    assert [line.strip() for line in result.output.splitlines() if line.endswith("-")] == [
        "<dev-name>=<id>:<type>:<size(GiB)>:<delete-on-"
    ]


def test_a_word_longer_than_the_line_stays_whole_when_asked() -> None:
    uuid = "group=5c1e2f3a-4b6d-4e8f-9a0b-1c2d3e4f5a6b"
    assert wrap(f"boot --hint {uuid} web1", 30, "  ", "  ", cut=False) == ["  boot --hint", f"  {uuid}", "  web1"]
    assert wrap(f"boot --hint {uuid} web1", 30, "  ", "  ")[1] == "  group=5c1e2f3a-4b6d-4e8f-"  # help cuts it
