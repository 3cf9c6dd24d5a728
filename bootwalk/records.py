"""Frozen records, made cheaply at import: what ``@dataclass(frozen=True)`` makes, for a small part of its cost.

A walk imports some fifty record classes, and ``dataclasses`` builds each
one with half a dozen ``exec`` calls and much bookkeeping: about 0.4 ms a
class, a fifth of a walk's start-up. :func:`dataclass` here compiles only
``__init__``, and only once per shape (how many fields, which have a
factory, slots or not): a record of the same shape takes that code with its
own field names put in. ``__repr__``, ``__eq__``, ``__hash__`` and the frozen
``__setattr__`` and ``__delattr__`` are shared by every record.
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
from types import CodeType, FunctionType
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


#: Compiled ``__init__`` code by shape: (how many fields, slots, which fields have a factory). Many records share
#: a shape; each takes its template's code with its own names put in (``CodeType.replace``), not a compile of its own.
_TEMPLATES: dict[tuple[int, bool, tuple[int, ...]], CodeType] = {}
#: The stand-in names a template's code holds, where a record's own field names go.
_STAND_IN = "_record_field_"


def _template(count: int, slots: bool, factories: tuple[int, ...]) -> CodeType:
    """The ``__init__`` code for records of this shape, with stand-in names, compiled once per shape."""
    key = (count, slots, factories)
    code = _TEMPLATES.get(key)
    if code is None:
        names = [f"{_STAND_IN}{index}" for index in range(count)]
        body = [f"    if {names[at]} is _missing:\n        {names[at]} = _factory_{at}()" for at in factories]
        if slots:
            body.extend(f"    _object_setattr(self, {name!r}, {name})" for name in names)
        else:
            body.append("    _d = self.__dict__")
            body.extend(f"    _d[{name!r}] = {name}" for name in names)
        source = "\n".join([f"def __init__(self, {', '.join(['', *names])[2:]}):", *(body or ["    pass"])])
        namespace: dict[str, Any] = {}
        exec(compile(source, "<record>", "exec"), namespace)  # noqa: S102 - our own source
        code = _TEMPLATES[key] = namespace["__init__"].__code__
    return code


def _own(value: Any, names: tuple[str, ...]) -> Any:
    """A stand-in name of a template replaced by the record's own field name; anything else as it is."""
    if isinstance(value, str) and value.startswith(_STAND_IN):
        return names[int(value[len(_STAND_IN) :])]
    return value


def _make(cls: type, slots: bool) -> type:
    annotations = inspect.get_annotations(cls)
    names = tuple(annotations)
    namespace: dict[str, Any] = {
        "_Frozen": dataclasses.FrozenInstanceError,
        "_object_setattr": object.__setattr__,
        "_missing": dataclasses.MISSING,
    }
    defaults: list[Any] = []
    factories: list[int] = []
    fields: dict[str, dataclasses.Field[Any]] = {}
    for index, name in enumerate(names):
        given = cls.__dict__.get(name, dataclasses.MISSING)
        if isinstance(given, dataclasses.Field):
            made = given
            namespace[f"_factory_{index}"] = given.default_factory
            factories.append(index)
            defaults.append(dataclasses.MISSING)
        else:
            made = dataclasses.field() if given is dataclasses.MISSING else dataclasses.field(default=given)
            if given is dataclasses.MISSING:
                if defaults:
                    raise TypeError(f"non-default argument {name!r} follows default argument")
            else:
                defaults.append(given)
        made.name = name
        made.type = annotations[name]
        made._field_type = dataclasses._FIELD  # type: ignore[attr-defined]
        fields[name] = made
    # Only __init__ is made per class (it is what runs most), from its shape's template; the other methods are
    # shared by every record and read the fields through the class's own attrgetter, as one tuple.
    template = _template(len(names), slots, tuple(factories))
    code = template.replace(
        co_varnames=tuple(_own(name, names) for name in template.co_varnames),
        co_consts=tuple(_own(constant, names) for constant in template.co_consts),
        co_filename=f"<record {cls.__qualname__}>",
    )
    init = FunctionType(code, namespace, "__init__", tuple(defaults) or None)
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
