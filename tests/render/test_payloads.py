"""Payloads in d and -v: compact JSON that reads back as the same value, tokens cut to a prefix."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from bootwalk.render.payloads import PAYLOAD_WIDTH, compact_json, payload_json

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5),
    max_leaves=30,
)


@given(JSON_VALUES)
def test_compact_json_reads_back_as_the_same_value(value: object) -> None:
    assert json.loads(compact_json(value)) == value


@given(st.dictionaries(st.text("abc", min_size=1, max_size=6), st.integers(0, 10**6), max_size=12))
def test_an_object_of_short_scalars_is_one_line_when_it_fits_and_one_line_per_key_otherwise(
    value: dict[str, int],
) -> None:
    text = compact_json(value)
    flat = json.dumps(value)
    assert text == flat if len(flat) <= PAYLOAD_WIDTH else text.count("\n") == len(value) + 1


def test_a_password_request_is_a_few_lines_and_the_token_a_prefix() -> None:
    payload = {
        "headers": {"X-Auth-Token": "gAAAAABpVmHAxxxxxxxxxxxxxxxx"},
        "body": {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "demo"}}}}},
    }
    assert payload_json(payload) == (
        "{\n"
        '  "headers": {"X-Auth-Token": "gAAAAABpVmHA…"},\n'
        '  "body": {\n'
        '    "auth": {\n'
        '      "identity": {\n'
        '        "methods": ["password"],\n'
        '        "password": {"user": {"name": "demo"}}\n'
        "      }\n"
        "    }\n"
        "  }\n"
        "}"
    )


@given(JSON_VALUES)
def test_only_a_line_that_cannot_be_spread_runs_past_the_width(value: object) -> None:
    for line in compact_json(value).splitlines():
        if len(line) > PAYLOAD_WIDTH:  # a long string or number, or a key and an empty container
            end = line.rstrip(",")
            assert not end.endswith(("}", "]")) or end.endswith(("{}", "[]")), line
