"""Frozen records, made cheaply at import: what ``@dataclass(frozen=True)`` makes, for a quarter of its cost.

A walk imports some fifty record classes, and ``dataclasses`` builds each
one with half a dozen ``exec`` calls and much bookkeeping: about 0.4 ms a
class, a fifth of a walk's start-up. :func:`dataclass` here writes the same methods
(``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, and the frozen
``__setattr__`` and ``__delattr__``) as one piece of source, compiled once.
The class it makes *is* a dataclass to everything that asks
(``dataclasses.fields``, ``replace``, ``asdict``, ``is_dataclass``): it
carries the same ``__dataclass_fields__``. Type checkers see
``dataclasses.dataclass`` itself.

Only what bootwalk uses is supported: frozen records, defaults, and
``field(default_factory=...)``; ``slots=True`` gives the class
``__slots__`` (for records made by the thousand).
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any

__all__ = ["dataclass", "field"]

if TYPE_CHECKING:
    from dataclasses import dataclass as dataclass
    from dataclasses import field as field
else:

    def field(*, default_factory: Any) -> Any:
        """A field whose default is made afresh for each record, as ``dataclasses.field`` takes it."""
        return dataclasses.field(default_factory=default_factory)

    def dataclass(cls: type | None = None, /, *, frozen: bool = True, slots: bool = False) -> Any:
        """Make ``cls`` a frozen record (``frozen`` must stay True: bootwalk has no other kind)."""
        if not frozen:
            raise TypeError("bootwalk's records are frozen")

        def wrap(klass: type) -> type:
            return _make(klass, slots)

        return wrap if cls is None else wrap(cls)


def _make(cls: type, slots: bool) -> type:
    annotations = inspect.get_annotations(cls)
    names = tuple(annotations)
    namespace: dict[str, Any] = {"_Frozen": dataclasses.FrozenInstanceError, "_object_setattr": object.__setattr__}
    parameters: list[str] = []
    fields: dict[str, dataclasses.Field[Any]] = {}
    body: list[str] = []
    seen_default = False
    for name in names:
        given = cls.__dict__.get(name, dataclasses.MISSING)
        if isinstance(given, dataclasses.Field):
            made = given
            namespace[f"_factory_{name}"] = given.default_factory
            namespace["_missing"] = dataclasses.MISSING
            parameters.append(f"{name}=_missing")
            body.append(f"    if {name} is _missing:\n        {name} = _factory_{name}()")
            seen_default = True
        else:
            made = dataclasses.field() if given is dataclasses.MISSING else dataclasses.field(default=given)
            if given is dataclasses.MISSING:
                if seen_default:
                    raise TypeError(f"non-default argument {name!r} follows default argument")
                parameters.append(name)
            else:
                namespace[f"_default_{name}"] = given
                parameters.append(f"{name}=_default_{name}")
                seen_default = True
        made.name = name
        made.type = annotations[name]
        made._field_type = dataclasses._FIELD  # type: ignore[attr-defined]
        fields[name] = made
    if slots:
        body.extend(f"    _object_setattr(self, {name!r}, {name})" for name in names)
    else:
        body.append("    _d = self.__dict__")
        body.extend(f"    _d[{name!r}] = {name}" for name in names)
    # Only __init__ is compiled (it is what runs most); the other methods are shared by every record and
    # read the fields through the class's own attrgetter, which gives their values as one tuple.
    source = "\n".join(
        [f"def __init__(self, {', '.join(parameters)}):" if names else "def __init__(self):", *(body or ["    pass"])]
    )
    exec(compile(source, f"<record {cls.__qualname__}>", "exec"), namespace)  # noqa: S102 - our own source
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    methods = {
        "__init__": init,
        "__repr__": _repr,
        "__eq__": _eq,
        "__hash__": _hash,
        "__setattr__": _setattr,
        "__delattr__": _delattr,
        "_record_values": attrgetter(*names) if len(names) > 1 else _one(names),
    }
    if slots:
        contents = {key: value for key, value in cls.__dict__.items() if key not in (*names, "__dict__", "__weakref__")}
        contents["__slots__"] = names
        cls = type(cls)(cls.__name__, cls.__bases__, contents)
    else:
        for name in names:  # the class attribute of a default would shadow nothing, but dataclasses removes it too
            if name in cls.__dict__ and isinstance(cls.__dict__[name], dataclasses.Field):
                delattr(cls, name)
    for name, method in methods.items():
        setattr(cls, name, method)
    setattr(cls, "__dataclass_fields__", fields)  # noqa: B010 - what makes it a dataclass to dataclasses
    setattr(cls, "__match_args__", names)  # noqa: B010
    return cls


def _one(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The values of a record of one field (or none), as a tuple as attrgetter gives several."""
    if not names:
        return lambda record: ()
    getter = attrgetter(names[0])
    return lambda record: (getter(record),)


def _repr(self: Any) -> str:
    values = type(self)._record_values(self)
    shown = ", ".join(f"{name}={value!r}" for name, value in zip(self.__match_args__, values, strict=True))
    return f"{type(self).__qualname__}({shown})"


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        return type(self)._record_values(self) == type(other)._record_values(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(type(self)._record_values(self))


def _setattr(self: Any, name: str, value: Any) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
