"""bootwalk's cheap records behave as ``@dataclass(frozen=True)`` does, for everything bootwalk and its tests ask."""

from __future__ import annotations

import dataclasses
import pickle
from collections.abc import Mapping

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bootwalk import records


def make_pair(slots: bool) -> tuple[type, type]:
    @dataclasses.dataclass(frozen=True, slots=slots)
    class Real:
        """A record."""

        name: str
        size: int
        ratio: float = 1.5
        tags: tuple[str, ...] = ()
        extra: tuple[str, ...] = dataclasses.field(default_factory=tuple)

    @records.dataclass(frozen=True, slots=slots)
    class Cheap:
        """A record."""

        name: str
        size: int
        ratio: float = 1.5
        tags: tuple[str, ...] = ()
        extra: tuple[str, ...] = records.field(default_factory=tuple)

    return Real, Cheap


values = st.fixed_dictionaries(
    {"name": st.text(max_size=5), "size": st.integers()},
    optional={"ratio": st.floats(allow_nan=False), "tags": st.tuples(st.text(max_size=3))},
)


@pytest.mark.parametrize("slots", [False, True])
@given(given_values=values, other=values)
def test_a_record_is_what_a_frozen_dataclass_is(slots: bool, given_values: dict, other: dict) -> None:  # type: ignore[type-arg]
    real_type, cheap_type = make_pair(slots)
    real, cheap = real_type(**given_values), cheap_type(**given_values)
    assert (
        repr(cheap).replace("Cheap", "Real")
        == repr(real).replace(real_type.__qualname__, "Real").replace("make_pair.<locals>.", "")
        or repr(cheap).split("(", 1)[1] == repr(real).split("(", 1)[1]
    )
    assert dataclasses.is_dataclass(cheap) and [f.name for f in dataclasses.fields(cheap)] == [
        f.name for f in dataclasses.fields(real)
    ]
    assert dataclasses.asdict(cheap) == dataclasses.asdict(real)
    assert hash(cheap) == hash(real)  # both hash the tuple of their fields
    again = cheap_type(**given_values)
    assert cheap == again
    assert not cheap != again  # noqa: SIM202 - __ne__ comes from __eq__
    assert (cheap == cheap_type(**other)) == (real == real_type(**other))
    assert cheap != real and cheap.__eq__(real) is NotImplemented
    changed = dataclasses.replace(cheap, size=given_values["size"] + 1)
    assert changed.size == given_values["size"] + 1 and changed.name == cheap.name
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'name'"):
        cheap.name = "x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del cheap.size  # type: ignore[misc]

    @records.dataclass(frozen=True)
    class Holder:
        extra: Mapping[str, str] = records.field(default_factory=dict)

    assert Holder().extra is not Holder().extra  # a fresh default each time
    assert cheap_type.__match_args__ == real_type.__match_args__
    assert cheap_type.__doc__ == "A record."


def test_slots_records_have_no_dict_and_positional_arguments_work() -> None:
    _real, cheap_type = make_pair(True)
    cheap = cheap_type("a", 2, 3.0)
    assert not hasattr(cheap, "__dict__") and cheap.ratio == 3.0
    with pytest.raises(TypeError):
        cheap_type("a")  # size is required
    with pytest.raises(TypeError):
        cheap_type("a", 1, nope=2)


def test_a_field_without_default_after_one_with_is_refused_as_dataclasses_refuses_it() -> None:
    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):

        @records.dataclass(frozen=True)
        class Wrong:
            a: int = 0
            b: int  # type: ignore[misc]


def test_records_pickle_and_compare_within_their_class_only() -> None:
    _real, cheap_type = make_pair(False)
    assert cheap_type("a", 1) != ("a", 1, 1.5, (), {})
    globals()["PickledRecord"] = cheap_type
    cheap_type.__qualname__ = "PickledRecord"
    assert pickle.loads(pickle.dumps(cheap_type("a", 1))) == cheap_type("a", 1)


def test_records_of_one_shape_share_a_compile_and_each_names_its_own_fields() -> None:
    made = len(records._TEMPLATES)

    @records.dataclass(frozen=True)
    class Host:
        host: str
        node: str = "n"

    @records.dataclass(frozen=True)
    class Port:
        port: str
        mac: str = "m"

    assert len(records._TEMPLATES) <= made + 1  # the second shape is the first's
    assert Host.__init__.__code__ is not Port.__init__.__code__
    assert Port(mac="x", port="p") == Port("p", "x") and Port("p").mac == "m"
    with pytest.raises(TypeError, match=r"__init__\(\) missing 1 required positional argument: 'port'"):
        Port()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword argument 'host'"):
        Port("p", host="h")  # type: ignore[call-arg]
    assert Host.__init__.__qualname__.endswith("Host.__init__") and Host("h").__dict__ == {"host": "h", "node": "n"}
    assert [*Port.__init__.__code__.co_varnames[:3]] == ["self", "port", "mac"]
