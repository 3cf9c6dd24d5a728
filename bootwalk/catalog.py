"""Load the three catalog files and validate them, once, into typed objects.

YAML is read with a safe loader only (``yaml.SafeLoader``, or libyaml's
``CSafeLoader`` where the wheel has it), and ``yaml`` is imported only when a
catalog is actually loaded, so ``--help`` stays fast.

Every problem becomes a :class:`CatalogError` whose message names the file,
the entry, the field and, where YAML gives one, the line.

A catalog passes from hand to hand, so each file is read as hostile: only a
plain file of at most :data:`MAX_CATALOG_BYTES`, without control characters
in the file or in any text it holds, without anchors, aliases or a key given
twice, with plain values that YAML 1.1 and 1.2 read alike, and with every
number finite and in its :data:`NUMBER_RANGES` range. The README's "What a
catalog may hold" says the same for those who write catalogs.
"""

from __future__ import annotations

import functools
import ipaddress
import math
import os
import re
import stat
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from bootwalk.model import (
    Catalog,
    Flavor,
    Host,
    HostInstance,
    Image,
    Keypair,
    Network,
    Port,
    Quotas,
    SchedulerSettings,
    ServerGroup,
    Subnet,
    Volume,
)
from bootwalk.records import dataclass
from bootwalk.text import CONTROL_OR_LINE_BREAK, visible

#: The files a catalog directory holds.
CATALOG_FILES = ("flavors.yaml", "images.yaml", "cloud.yaml")

#: The environment variable that names a catalog directory.
CATALOG_ENVIRONMENT_VARIABLE = "BOOTWALK_CATALOG"

#: The largest catalog file bootwalk reads, in bytes (1 MiB); the shipped ones are a few KB.
MAX_CATALOG_BYTES = 1024 * 1024

#: How deep lists and mappings may nest in a catalog file; the shipped ones go 5 deep.
MAX_NESTING = 32

T = TypeVar("T")


class Limits(NamedTuple):
    """The range a number in a catalog must be in: finite, from ``least`` to ``most``, both included."""

    least: float
    most: float
    #: What the number counts, as the README's table says it.
    unit: str
    #: Whole numbers only (sizes and counts), or any finite number (ratios and multipliers).
    whole: bool = True
    #: ``least`` itself is refused: a ratio must be more than 0.
    least_excluded: bool = False

    def describe(self) -> str:
        """The range in words, as the README's table gives it: ``1 to 4096``, ``more than 0, up to 1000``."""
        if self.least_excluded:
            return f"more than {_number_text(self.least)}, up to {_number_text(self.most)}"
        return f"{_number_text(self.least)} to {_number_text(self.most)}"


#: nova's largest whole number in its database (``nova.db.constants.MAX_INT``, 2**31 - 1): its limit for
#: a flavor's RAM and swap, a compute node's memory and a quota.
_NOVA_MAX_INT = 2**31 - 1

#: The most vCPUs, and GB of disk (2**20, a pebibyte), one flavor or host has here.
_MOST_VCPUS = 4096
_MOST_DISK_GB = 2**20

#: The largest allocation ratio; a host's ``*_used`` figures may reach its total times this.
_MOST_RATIO = 1000

#: Every number a catalog holds, by section and field, with its range: the README's "What a catalog may
#: hold" has the same table, and a test keeps the two alike.
NUMBER_RANGES: dict[tuple[str, str], Limits] = {
    ("flavors", "vcpus"): Limits(1, _MOST_VCPUS, "vCPUs"),
    ("flavors", "ram"): Limits(1, _NOVA_MAX_INT, "MB"),
    ("flavors", "disk"): Limits(0, _MOST_DISK_GB, "GB"),
    ("flavors", "ephemeral"): Limits(0, _MOST_DISK_GB, "GB"),
    ("flavors", "swap"): Limits(0, _NOVA_MAX_INT, "MB"),
    ("images", "size"): Limits(0, 2**50, "bytes"),
    ("images", "min_disk"): Limits(0, _MOST_DISK_GB, "GB"),
    ("images", "min_ram"): Limits(0, _NOVA_MAX_INT, "MB"),
    ("hosts", "vcpus"): Limits(1, _MOST_VCPUS, "vCPUs"),
    ("hosts", "memory_mb"): Limits(1, _NOVA_MAX_INT, "MB"),
    ("hosts", "disk_gb"): Limits(1, _MOST_DISK_GB, "GB"),
    ("hosts", "vcpus_used"): Limits(0, _MOST_VCPUS * _MOST_RATIO, "vCPUs"),
    ("hosts", "memory_mb_used"): Limits(0, _NOVA_MAX_INT * _MOST_RATIO, "MB"),
    ("hosts", "disk_gb_used"): Limits(0, _MOST_DISK_GB * _MOST_RATIO, "GB"),
    ("hosts", "cpu_allocation_ratio"): Limits(0, _MOST_RATIO, "ratio", whole=False, least_excluded=True),
    ("hosts", "ram_allocation_ratio"): Limits(0, _MOST_RATIO, "ratio", whole=False, least_excluded=True),
    ("hosts", "disk_allocation_ratio"): Limits(0, _MOST_RATIO, "ratio", whole=False, least_excluded=True),
    ("volumes", "size"): Limits(1, _MOST_DISK_GB, "GB"),
    ("scheduler", "weighers"): Limits(-1000, 1000, "multiplier", whole=False),
    ("scheduler", "max_attempts"): Limits(1, 100, "attempts"),
    ("quotas", "instances"): Limits(0, _NOVA_MAX_INT, "instances"),
    ("quotas", "cores"): Limits(0, _NOVA_MAX_INT, "vCPUs"),
    ("quotas", "ram"): Limits(0, _NOVA_MAX_INT, "MB"),
    ("quotas.in_use", "instances"): Limits(0, _NOVA_MAX_INT, "instances"),
    ("quotas.in_use", "cores"): Limits(0, _NOVA_MAX_INT, "vCPUs"),
    ("quotas.in_use", "ram"): Limits(0, _NOVA_MAX_INT, "MB"),
    ("cloud", "instances_made"): Limits(0, _NOVA_MAX_INT, "instances"),
}


def _out_of_range(value: float, limits: Limits) -> str | None:
    """Why a number is not in its range (``must be 4096 or less, got 4097``); None when it is."""
    if isinstance(value, float) and not math.isfinite(value):
        return f"must be a finite number, got {value}"
    if limits.least_excluded and value <= limits.least:
        return f"must be more than {_number_text(limits.least)}, got {_number_shown(value)}"
    if value < limits.least:
        return f"must be {_number_text(limits.least)} or more, got {_number_shown(value)}"
    if value > limits.most:
        return f"must be {_number_text(limits.most)} or less, got {_number_shown(value)}"
    return None


def _number_shown(value: float) -> str:
    """A number in an error: as written, unless it is too long to read (``a number of 400 digits``)."""
    text = _number_text(value)
    return f"a number of {len(text.lstrip('-'))} digits" if isinstance(value, int) and len(text) > 24 else text


class CatalogError(Exception):
    """A catalog file is missing, unreadable, malformed or has wrong values.

    The message is one line to print as it is: a control character in it (from
    a path, say) is escaped as ``\\x1b``, so that it never reaches a terminal.
    """

    def __init__(self, message: str) -> None:
        super().__init__(_escaped(message))


#: C0 controls, DEL and C1 controls: what catalog text never holds, and what never reaches a terminal from it.
_CONTROL_CHARACTER = CONTROL_OR_LINE_BREAK

#: What a catalog file may not hold anywhere: the control characters but tab and newline, and what YAML
#: itself refuses (the noncharacters U+FFFE and U+FFFF; surrogates cannot come out of UTF-8).
_UNREADABLE_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")

#: The names of the control characters a student is likeliest to meet.
_CONTROL_NAMES = {"\t": "a tab", "\n": "a line break", "\r": "a carriage return", "\x1b": "escape"}


def _character(character: str) -> str:
    """Name a character catalog text may not hold, e.g. ``a control character (U+001B, escape)``."""
    code = f"U+{ord(character):04X}"
    if not _CONTROL_CHARACTER.match(character):
        return f"a noncharacter ({code}), which YAML does not allow"
    name = _CONTROL_NAMES.get(character)
    return f"a control character ({code}, {name})" if name else f"a control character ({code})"


def _refuse_unreadable_characters(path: Path, text: str) -> None:
    """Refuse a control character written raw in the file (a NUL byte, say), with its line and column."""
    found = _UNREADABLE_CHARACTER.search(text)
    if found is None:
        return
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - text.rfind("\n", 0, found.start())
    raise CatalogError(
        f"{path}, line {line}, column {column}: holds {_character(found.group())}; catalog text must be printable"
    )


def shipped_catalog_directory() -> Path:
    """Return the directory of the catalogs bootwalk ships.

    An installed wheel carries them in the package's ``catalogs/`` directory,
    where setup.py copies them when it builds. A source checkout keeps them
    only at its top level, beside the package, so an editable install or a
    run from the checkout reads them there. The package is always installed
    as files (never zipped); importlib.resources would only add start-up time.
    """
    package = Path(__file__).resolve().parent
    inside = package / "catalogs"
    return inside if inside.is_dir() else package.parent


def catalog_directory(option: str | None) -> Path:
    """Choose the catalog directory: ``--catalog``, then the environment, then the shipped one."""
    chosen = option or os.environ.get(CATALOG_ENVIRONMENT_VARIABLE) or None
    return Path(chosen) if chosen else shipped_catalog_directory()


class _LocatedDict(dict):  # type: ignore[type-arg]
    """A mapping that remembers the line it started on in its YAML file, and the line of each key."""

    line: int | None = None
    key_lines: Mapping[Any, int] | None = None


class _Refused(Exception):
    """What the loader refuses while it reads a catalog, and where: a ``yaml.Mark`` with its line and column."""

    def __init__(self, problem: str, mark: Any) -> None:
        super().__init__(problem)
        self.problem = problem
        self.mark = mark


def _escaped(text: str) -> str:
    """Text with each control character written as an escape a terminal shows (``\\x1b``)."""
    return visible(text)


def _shown(text: str, limit: int = 40) -> str:
    """Text from a catalog as an error shows it: control characters escaped (``\\x1b``), cut after ``limit``."""
    return _escaped(text[:limit] + "…" if len(text) > limit else text)


#: YAML's own tags, which the loader reads as YAML 1.1 and 1.2 both do.
_YAML_TAG = "tag:yaml.org,2002:"

#: The tags YAML 1.2's core schema gives a plain scalar, first match wins.
_CORE_SCHEMA = (
    ("null", re.compile(r"~|null|Null|NULL|")),
    ("bool", re.compile(r"true|True|TRUE|false|False|FALSE")),
    ("int", re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")),
    ("float", re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")),
)

#: A whole number as a catalog writes one: decimal, without a leading zero.
_DECIMAL = re.compile(r"[-+]?(0|[1-9][0-9]*)")

#: The longest number a catalog may write, in characters: far more than any catalog needs, and short
#: enough to read quickly (Python reads no whole number of more than 4300 digits by default).
_LONGEST_NUMBER = 1000

#: What the loader calls a plain scalar that YAML 1.1 and 1.2 read alike (the tags of YAML's own
#: types are kept for values written with an explicit tag, which are refused).
_PLAIN = "bootwalk:plain:"

#: The tag of a plain scalar the loader refuses, because YAML 1.1 and 1.2 read it differently.
_AMBIGUOUS = "bootwalk:ambiguous"

#: YAML 1.1's types beyond text, lists and mappings, refused when a catalog names them with a tag.
_TAGGED_TYPES = ("null", "bool", "int", "float", "binary", "timestamp", "omap", "pairs", "set", "merge", "value")


def _core_schema_tag(value: str) -> str:
    """The tag YAML 1.2's core schema gives a plain scalar."""
    for name, pattern in _CORE_SCHEMA:
        if pattern.fullmatch(value):
            return _YAML_TAG + name
    return _YAML_TAG + "str"


def _plain_tag(value: str, yaml_1_1_tag: str) -> str:
    """The loader's tag for a plain scalar: YAML 1.1's and 1.2's when they agree (numbers in plain decimal)."""
    tag = _core_schema_tag(value)
    if tag != yaml_1_1_tag or (tag == _YAML_TAG + "int" and not _DECIMAL.fullmatch(value)):
        return _AMBIGUOUS
    return tag if tag == _YAML_TAG + "str" else _PLAIN + tag.removeprefix(_YAML_TAG)


def _number_text(number: float) -> str:
    """A number as a catalog may write it: YAML 1.1 wants a dot before an exponent."""
    text = repr(number)
    mantissa, exponent, power = text.partition("e")
    return f"{mantissa}.0e{power}" if exponent and "." not in mantissa else text


def _core_schema_value(value: str, tag: str) -> Any:
    """A number or boolean as YAML 1.2's core schema reads it (``010`` is 10, ``0o10`` is 8)."""
    kind = tag.removeprefix(_YAML_TAG)
    if kind == "bool":
        return value.lower() == "true"
    if kind == "int":
        bases = {"0o": 8, "0x": 16}
        return int(value[2:], bases[value[:2]]) if value[:2] in bases else int(value, 10)
    if value.lower().lstrip("+-") in (".inf", ".nan"):
        return float(value.replace(".", "", 1))
    return float(value)


def _reading(value: str, tag: str, read: Callable[[str, str], Any]) -> tuple[str, str | None]:
    """What one YAML version reads a plain scalar as, and how a catalog would write that: ("the number 8", "8")."""
    kind = tag.removeprefix(_YAML_TAG)
    if kind == "str":
        return "text", None
    if kind in ("int", "float", "bool") and len(value) <= _LONGEST_NUMBER:
        result = read(value, tag)
        if isinstance(result, bool):
            return str(result).lower(), str(result).lower()
        return f"the number {_number_text(result)}", _number_text(result)
    names = {"int": "a number", "float": "a number", "timestamp": "a date", "merge": "a merge key"}
    return names.get(kind, f"a {kind} key"), None


def _ambiguity(value: str, yaml_1_1_tag: str, yaml_1_1_value: Callable[[str, str], Any]) -> str:
    """Why a plain scalar is refused, and how to write it so that every YAML reads it one way."""
    old, old_writing = _reading(value, yaml_1_1_tag, yaml_1_1_value)
    new, new_writing = _reading(value, _core_schema_tag(value), _core_schema_value)
    writing = new_writing or old_writing
    quoted = "'" + _shown(value).replace("'", "''") + "'"
    advice = f"write {writing}, or quote it: {quoted}" if writing else f"quote it: {quoted}"
    if old == new:
        return f"{_shown(value)} is {old} in YAML 1.1 and 1.2 alike, but catalog numbers are plain decimals; {advice}"
    return f"{_shown(value)} is {old} in YAML 1.1 but {new} in YAML 1.2; {advice}"


def _loader_class() -> Any:
    """The safe YAML loader for catalogs, built lazily, once.

    It is PyYAML's safe loader (libyaml's parser where the wheel has it) with
    PyYAML's own composer, which hands each node over one at a time, so that
    the loader can refuse, before they cost anything:

    - anchors and aliases (``&name``, ``*name``): a catalog needs neither, and
      a few hundred bytes of nested aliases expand into gigabytes;
    - lists and mappings nested deeper than :data:`MAX_NESTING`;
    - a key given twice in one mapping, which YAML would let the second
      silently overwrite.

    It reads a plain (unquoted) scalar only where YAML 1.1, which PyYAML
    follows, and YAML 1.2 read it alike: ``010`` (8 or 10), ``0o10``,
    ``1:30`` (90 or text), ``1_000``, ``yes``, ``on``, ``off``, ``no`` and
    dates are refused with how to write them, and so is a number not in plain
    decimal (``0x1F``) or longer than :data:`_LONGEST_NUMBER` characters. A
    YAML type named by a tag (``!!int``, ``!!binary``...) is refused, and any
    other tag is one no constructor knows; ``!!str`` is quoting.

    Each mapping it builds remembers the line it starts on.
    """
    import yaml

    return _catalog_loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@functools.cache
def _catalog_loader(base: Any) -> Any:
    """Build :func:`_loader_class`'s loader on ``base``, libyaml's safe loader or PyYAML's own."""
    import yaml
    from yaml.composer import Composer
    from yaml.constructor import ConstructorError, SafeConstructor

    class CatalogLoader(base):  # type: ignore[misc, valid-type]
        # PyYAML's composer, also over libyaml's events (the C composer cannot be stopped midway).
        check_node = Composer.check_node
        get_node = Composer.get_node
        get_single_node = Composer.get_single_node
        compose_document = Composer.compose_document
        compose_scalar_node = Composer.compose_scalar_node
        compose_sequence_node = Composer.compose_sequence_node
        compose_mapping_node = Composer.compose_mapping_node

        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.anchors: dict[str, Any] = {}
            self.depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.peek_event()
            if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
                sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
                raise _Refused(
                    f"anchors and aliases are refused in a catalog (found {sign}{_shown(event.anchor)}); "
                    "write each value out in full",
                    event.start_mark,
                )
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                self.depth += 1
                if self.depth > MAX_NESTING:
                    raise _Refused(
                        f"lists and mappings nest more than {MAX_NESTING} deep here, deeper than a catalog needs",
                        event.start_mark,
                    )
            node = Composer.compose_node(self, parent, index)
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                self.depth -= 1
            return node

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            tag = super().resolve(kind, value, implicit)
            if kind is yaml.ScalarNode and implicit[0]:
                return _plain_tag(value, tag)
            return tag

        def yaml_1_1_value(self, value: str, tag: str) -> Any:
            return SafeConstructor.yaml_constructors[tag](self, yaml.ScalarNode(tag, value))

        def construct_ambiguous(self, node: Any) -> Any:
            tag = super().resolve(yaml.ScalarNode, node.value, (True, False))
            raise _Refused(_ambiguity(node.value, tag, self.yaml_1_1_value), node.start_mark)

        def construct_number(self, node: Any) -> Any:
            if len(node.value) > _LONGEST_NUMBER:
                raise _Refused(
                    f"{_shown(node.value)} is a number of {len(node.value)} characters, "
                    f"longer than any catalog needs; quote it if it is text",
                    node.start_mark,
                )
            tag = _YAML_TAG + node.tag.removeprefix(_PLAIN)
            return SafeConstructor.yaml_constructors[tag](self, node)

        def construct_tagged(self, node: Any) -> Any:
            raise _Refused(
                f"the tag !!{node.tag.removeprefix(_YAML_TAG)} is refused in a catalog; "
                "write the value without it (quote text)",
                node.start_mark,
            )

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            if not isinstance(node, yaml.MappingNode):
                raise ConstructorError(None, None, f"expected a mapping node, but found {node.id}", node.start_mark)
            mapping = _LocatedDict()
            mapping.line = node.start_mark.line + 1
            first_lines: dict[Any, int] = {}
            for key_node, value_node in node.value:
                key = self.construct_object(key_node, deep=deep)
                try:
                    hash(key)
                except TypeError:
                    raise ConstructorError(
                        "while constructing a mapping", node.start_mark, "found unhashable key", key_node.start_mark
                    ) from None
                if key in mapping:
                    shown = f"'{_shown(key)}'" if isinstance(key, str) else _shown(repr(key))
                    raise _Refused(
                        f"the key {shown} is given twice in one mapping (first on line {first_lines[key]})",
                        key_node.start_mark,
                    )
                first_lines[key] = key_node.start_mark.line + 1
                mapping[key] = self.construct_object(value_node, deep=deep)
            mapping.key_lines = first_lines
            return mapping

    CatalogLoader.yaml_constructors = {
        None: SafeConstructor.construct_undefined,
        _YAML_TAG + "str": SafeConstructor.construct_yaml_str,
        _YAML_TAG + "seq": SafeConstructor.construct_yaml_seq,
        _YAML_TAG + "map": CatalogLoader.construct_mapping,
        _PLAIN + "null": SafeConstructor.construct_yaml_null,
        _PLAIN + "bool": SafeConstructor.construct_yaml_bool,
        _PLAIN + "int": CatalogLoader.construct_number,
        _PLAIN + "float": CatalogLoader.construct_number,
        _AMBIGUOUS: CatalogLoader.construct_ambiguous,
        **{_YAML_TAG + name: CatalogLoader.construct_tagged for name in _TAGGED_TYPES},
    }
    CatalogLoader.yaml_multi_constructors = {}
    return CatalogLoader


#: What a path that is not a plain file is, by the kind ``stat`` gives it.
_SPECIAL_FILES = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_a_plain_file(path: Path, mode: int) -> CatalogError:
    kind = next((name for test, name in _SPECIAL_FILES if test(mode)), "not a plain file")
    return CatalogError(f"{path}: is {kind}, not a catalog file")


def _too_large(path: Path) -> CatalogError:
    return CatalogError(f"{path}: is larger than 1 MiB ({MAX_CATALOG_BYTES} bytes), the most a catalog file may hold")


def read_catalog_text(path: Path) -> str:
    """Read one catalog file as text: a plain file of at most :data:`MAX_CATALOG_BYTES`, in UTF-8.

    The path is checked with ``os.stat`` (which follows symlinks) before it is
    opened, so a named pipe, a device, a socket or a directory is refused
    without being opened for reading: a pipe would wait for a writer forever
    and ``/dev/zero`` never ends. The open itself does not block either, and
    what it opened is checked again, in case the path changed in between; at
    most one byte more than the limit is read, in case the file grew.
    """
    try:
        status = os.stat(path)
    except FileNotFoundError:
        raise CatalogError(
            f"{path}: catalog file not found; a catalog directory must hold {', '.join(CATALOG_FILES)}"
        ) from None
    except OSError as error:
        raise CatalogError(f"{path}: cannot be read: {error.strerror}") from None
    if not stat.S_ISREG(status.st_mode):
        raise _not_a_plain_file(path, status.st_mode)
    if status.st_size > MAX_CATALOG_BYTES:
        raise _too_large(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise CatalogError(f"{path}: cannot be read: {error.strerror}") from None
    with os.fdopen(descriptor, "rb") as stream:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise _not_a_plain_file(path, mode)
        try:
            data = stream.read(MAX_CATALOG_BYTES + 1)
        except OSError as error:
            raise CatalogError(f"{path}: cannot be read: {error.strerror}") from None
    if len(data) > MAX_CATALOG_BYTES:
        raise _too_large(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CatalogError(f"{path}: is not UTF-8 text ({error.reason})") from None
    # As a file opened in text mode reads it: every line ends in "\n".
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_yaml(path: Path) -> Any:
    """Read one YAML catalog file safely; raise CatalogError with the line on failure."""
    import yaml

    text = read_catalog_text(path)
    _refuse_unreadable_characters(path, text)
    try:
        return yaml.load(text, Loader=_loader_class())  # noqa: S506 - a SafeLoader subclass
    except _Refused as refusal:
        mark = refusal.mark
        raise CatalogError(f"{path}, line {mark.line + 1}, column {mark.column + 1}: {refusal.problem}") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = error.problem or error.context or "not valid YAML"
        raise CatalogError(f"{path}{where}: not valid YAML: {problem}") from None
    except yaml.YAMLError as error:
        raise CatalogError(f"{path}: not valid YAML: {' '.join(str(error).split())}") from None


@dataclass(frozen=True)
class _Entry:
    """One mapping of a catalog list, with what is needed to name it in errors."""

    path: Path
    section: str
    index: int | None
    data: Mapping[str, Any]

    def where(self, field: str | None = None) -> str:
        label = self.section if self.index is None else f"{self.section}[{self.index}]"
        name = self.data.get("name")
        if isinstance(name, str) and self.index is not None:
            label += f" ({_shown(name)})"
        line = getattr(self.data, "line", None)
        text = f"{self.path}: {label}"
        if field is not None:
            text += f", field '{_shown(field)}'"
        if line is not None:
            text += f" (line {line})"
        return text

    def fail(self, field: str | None, problem: str) -> CatalogError:
        return CatalogError(f"{self.where(field)}: {problem}")

    def check_fields(self, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
        for name in required:
            if name not in self.data:
                raise self.fail(name, "is missing")
        known = set(required) | set(optional)
        for name in self.data:
            if name not in known:
                raise self.fail(str(name), f"is not a known field; known fields: {', '.join(sorted(known))}")

    def text(self, field: str, default: str | None = None) -> str:
        value = self.data.get(field, default)
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise self.fail(field, f"must be text, got {_describe(value)}")
        text = str(value)
        if not text.strip():
            raise self.fail(field, "must not be empty")
        return text

    def optional_text(self, field: str) -> str | None:
        return None if self.data.get(field) is None else self.text(field)

    def integer(self, field: str, default: int | None = None) -> int:
        """A whole number in the range :data:`NUMBER_RANGES` gives this section's field."""
        value = self.data.get(field, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(field, f"must be a whole number, got {_describe(value)}")
        problem = _out_of_range(value, NUMBER_RANGES[self.section, field])
        if problem is not None:
            raise self.fail(field, problem)
        return value

    def number(self, field: str, default: float) -> float:
        """A finite number in the range :data:`NUMBER_RANGES` gives this section's field."""
        value = self.data.get(field, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(field, f"must be a number, got {_describe(value)}")
        problem = _out_of_range(value, NUMBER_RANGES[self.section, field])
        if problem is not None:
            raise self.fail(field, problem)
        return float(value)

    def boolean(self, field: str, default: bool) -> bool:
        value = self.data.get(field, default)
        if not isinstance(value, bool):
            raise self.fail(field, f"must be true or false, got {_describe(value)}")
        return value

    def choice(self, field: str, choices: tuple[str, ...], default: str) -> str:
        value = self.text(field, default)
        if value not in choices:
            raise self.fail(field, f"must be one of {', '.join(choices)}, got {value!r}")
        return value

    def string_map(self, field: str) -> dict[str, str]:
        value = self.data.get(field, {})
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise self.fail(field, f"must be a mapping of key: value, got {_describe(value)}")
        return {str(key): _scalar_text(item) for key, item in value.items()}

    def text_list(self, field: str) -> tuple[str, ...]:
        value = self.data.get(field, [])
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(item, (str, int)) for item in value):
            raise self.fail(field, f"must be a list of names, got {_describe(value)}")
        return tuple(str(item) for item in value)

    def address(self, field: str, version: int | None = None) -> str:
        value = self.text(field)
        try:
            address = ipaddress.ip_address(value)
        except ValueError:
            raise self.fail(field, f"must be an IP address, got {value!r}") from None
        if version is not None and address.version != version:
            raise self.fail(field, f"must be an IPv{version} address, got {value!r}")
        return value


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, (Mapping, list)):
        return "a mapping" if isinstance(value, Mapping) else "a list"
    return repr(value)


def _document(path: Path) -> Mapping[str, Any]:
    return _sections(path, read_yaml(path))


def _sections(path: Path, data: Any) -> Mapping[str, Any]:
    """A parsed catalog document as its file's checks leave it: a mapping of sections without control characters."""
    if not isinstance(data, Mapping):
        raise CatalogError(f"{path}: must be a mapping of sections, got {_describe(data)}")
    _refuse_control_characters(path, data)
    return data


def _given_document(path: Path, documents: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    """One document handed to :func:`catalog_from_documents`, checked as strictly as its file would be.

    What the YAML loader refuses as it reads a file, a document parsed
    elsewhere (from JSON, or built in Python) is refused here: anything but
    text, numbers, booleans, null, lists and mappings; nesting deeper than
    :data:`MAX_NESTING` (as a mapping that holds itself does); a number
    longer than :data:`_LONGEST_NUMBER` digits. Then come the checks every
    file gets (:func:`_sections`). A document :func:`_document` read passes
    these again, unchanged.
    """
    if name not in documents:
        raise CatalogError(f"{path}: catalog file not found; a catalog directory must hold {', '.join(CATALOG_FILES)}")
    data = documents[name]
    if isinstance(data, Mapping):
        for section, value in data.items():
            problem = _foreign_key(section, "the document") or _foreign_value_in(value, _shown(str(section)), 2)
            if problem is not None:
                raise CatalogError(f"{path}: {problem}")
    return _sections(path, data)


#: What a catalog document holds but lists and mappings: what YAML's safe loader and JSON make (a bool is an int).
_SCALARS = (str, int, float, type(None))

#: The smallest whole number longer than :data:`_LONGEST_NUMBER` digits.
_TOO_LONG = 10**_LONGEST_NUMBER

#: What every refusal of a value a catalog cannot hold ends with.
_PLAIN_VALUES = "a catalog holds only text, numbers, true and false, null, lists and mappings"


def _foreign_key(key: Any, place: str) -> str | None:
    """Why a mapping key could not come from a catalog file (a tuple, say); None when it could."""
    if isinstance(key, int) and abs(key) >= _TOO_LONG:
        return f"a key in {place} is a number of more than {_LONGEST_NUMBER} digits, longer than any catalog needs"
    if isinstance(key, _SCALARS):
        return None
    return f"a key in {place} is {_kind(key)}; {_PLAIN_VALUES}"


def _foreign_value_in(value: Any, place: str, depth: int) -> str | None:
    """Say where in ``value`` (written as from ``place``, ``depth`` lists and mappings down) the first thing a
    catalog file could not hold is: ``flavors[0]['extra_specs']['a'] is of type tuple; ...``. None if nothing."""
    if isinstance(value, (list, Mapping)):
        if depth > MAX_NESTING:
            return (
                f"{_shown(place, 60)}: lists and mappings nest more than {MAX_NESTING} deep here, "
                "deeper than a catalog needs"
            )
        if isinstance(value, list):
            for index, item in enumerate(value):
                problem = _foreign_value_in(item, f"{place}[{index}]", depth + 1)
                if problem is not None:
                    return problem
            return None
        for key, item in value.items():
            problem = _foreign_key(key, place) or _foreign_value_in(item, f"{place}['{_shown(str(key))}']", depth + 1)
            if problem is not None:
                return problem
        return None
    if isinstance(value, int) and abs(value) >= _TOO_LONG:
        return f"{place} is a number of more than {_LONGEST_NUMBER} digits, longer than any catalog needs"
    if isinstance(value, _SCALARS):
        return None
    return f"{place} is {_kind(value)}; {_PLAIN_VALUES}"


def _kind(value: Any) -> str:
    """What a value a catalog cannot hold is, for an error: ``of type tuple``."""
    return f"of type {_shown(type(value).__name__)}"


#: What every refusal of a control character in catalog text ends with.
_PRINTABLE = "catalog text must be printable"


def _refuse_control_characters(path: Path, document: Mapping[Any, Any]) -> None:
    """Refuse a control character in any text of a catalog: every key and every value, at any depth.

    YAML writes one as an escape in a double-quoted string (``"m1.tiny\\e[31m"``),
    which the file does not show raw; a name holding one would colour, clear
    or retitle the terminal it is listed on. The error names the entry, the
    field and the entry's line, and shows the text with the character escaped.
    A name never needs a newline or a tab, and the free-text fields are
    printed on one line too, so no control character is allowed anywhere.
    """
    key_lines = getattr(document, "key_lines", None) or {}
    for section, value in document.items():
        line = key_lines.get(section)
        where = f"{path}: '{_shown(str(section))}:'" + (f" (line {line})" if line is not None else "")
        if isinstance(section, str) and (found := _CONTROL_CHARACTER.search(section)):
            raise CatalogError(f"{where}: the key holds {_character(found.group())}; {_PRINTABLE}")
        if isinstance(value, Mapping):
            _refuse_control_characters_in_entry(_Entry(path, str(section), None, value))
            continue
        for index, item in enumerate(value if isinstance(value, list) else ()):
            if isinstance(item, Mapping):
                _refuse_control_characters_in_entry(_Entry(path, str(section), index, item))
        problem = _control_character_in(value, str(section), top=True)
        if problem is not None:
            raise CatalogError(f"{where}: {problem}; {_PRINTABLE}")


def _refuse_control_characters_in_entry(entry: _Entry) -> None:
    """Refuse a control character in one entry: its field names, its values, and the entries listed in it."""
    label = entry.section if entry.index is None else f"{entry.section}[{entry.index}]"
    for field, value in entry.data.items():
        if isinstance(field, str) and (found := _CONTROL_CHARACTER.search(field)):
            raise entry.fail(field, f"the field name holds {_character(found.group())}; {_PRINTABLE}")
        for index, item in enumerate(value if isinstance(value, list) else ()):
            if isinstance(item, Mapping):
                _refuse_control_characters_in_entry(_Entry(entry.path, f"{label}.{field}", index, item))
        problem = _control_character_in(value, str(field), top=True)
        if problem is not None:
            raise entry.fail(str(field), f"{problem}; {_PRINTABLE}")


def _control_character_in(value: Any, place: str, top: bool = False) -> str | None:
    """Say where in ``value`` (written as from ``place``) the first control character is; None if none is.

    ``holds a control character (U+001B, escape)`` for text at the top,
    ``traits[1] holds ...`` or ``the key 'a\\x07' in extra_specs holds ...`` below it.
    """
    if isinstance(value, str):
        found = _CONTROL_CHARACTER.search(value)
        if found is None:
            return None
        return f"holds {_character(found.group())}" if top else f"{place} holds {_character(found.group())}"
    if isinstance(value, list):
        for index, item in enumerate(value):
            problem = _control_character_in(item, f"{place}[{index}]")
            if problem is not None:
                return problem
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str) and (found := _CONTROL_CHARACTER.search(key)):
                return f"the key '{_shown(key)}' in {place} holds {_character(found.group())}"
            problem = _control_character_in(item, f"{place}['{_shown(str(key))}']")
            if problem is not None:
                return problem
    return None


def _entries(path: Path, document: Mapping[str, Any], section: str, required: bool = True) -> Iterator[_Entry]:
    if section not in document:
        if required:
            raise CatalogError(f"{path}: the top-level key '{section}:' is missing")
        return
    items = document[section]
    if items is None and not required:
        return
    if not isinstance(items, list):
        raise CatalogError(f"{path}: '{section}:' must be a list, got {_describe(items)}")
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise CatalogError(f"{path}: {section}[{index}] must be a mapping of fields, got {_describe(item)}")
        yield _Entry(path, section, index, item)


def _unique(items: tuple[T, ...], key: Callable[[T], str], path: Path, section: str, what: str) -> None:
    seen: set[str] = set()
    for index, item in enumerate(items):
        value = key(item)
        if value in seen:
            raise CatalogError(f"{path}: {section}[{index}]: {what} {value!r} is used twice")
        seen.add(value)


def _flavor(entry: _Entry) -> Flavor:
    entry.check_fields(("name", "id", "vcpus", "ram", "disk"), ("ephemeral", "swap", "extra_specs", "description"))
    return Flavor(
        name=entry.text("name"),
        id=entry.text("id"),
        vcpus=entry.integer("vcpus"),
        ram=entry.integer("ram"),
        disk=entry.integer("disk"),
        ephemeral=entry.integer("ephemeral", 0),
        swap=entry.integer("swap", 0),
        extra_specs=entry.string_map("extra_specs"),
    )


IMAGE_STATUSES = (
    "queued",
    "saving",
    "uploading",
    "importing",
    "active",
    "killed",
    "deleted",
    "pending_delete",
    "deactivated",
)


def _image(entry: _Entry) -> Image:
    entry.check_fields(
        ("name", "id", "status", "disk_format", "container_format", "size", "min_disk", "min_ram"),
        ("visibility", "properties"),
    )
    return Image(
        name=entry.text("name"),
        id=entry.text("id"),
        status=entry.choice("status", IMAGE_STATUSES, "active"),
        disk_format=entry.text("disk_format"),
        container_format=entry.text("container_format"),
        size=entry.integer("size"),
        min_disk=entry.integer("min_disk"),
        min_ram=entry.integer("min_ram"),
        visibility=entry.choice("visibility", ("public", "private", "shared", "community"), "public"),
        properties=entry.string_map("properties"),
    )


def _subnet(entry: _Entry) -> Subnet:
    entry.check_fields(("name", "id", "cidr", "gateway_ip"), ("ip_version",))
    cidr_text = entry.text("cidr")
    try:
        cidr = ipaddress.ip_network(cidr_text, strict=True)
    except ValueError:
        raise entry.fail("cidr", f"must be a network such as 10.0.0.0/22, got {cidr_text!r}") from None
    ip_version = entry.data.get("ip_version", cidr.version)
    if isinstance(ip_version, bool) or not isinstance(ip_version, int) or ip_version not in (4, 6):
        raise entry.fail("ip_version", f"must be 4 or 6, got {_describe(ip_version)}")
    if ip_version != cidr.version:
        raise entry.fail("ip_version", f"is {ip_version} but the cidr is IPv{cidr.version}")
    gateway = entry.address("gateway_ip", cidr.version)
    if ipaddress.ip_address(gateway) not in cidr:
        raise entry.fail("gateway_ip", f"{gateway} is not inside {cidr_text}")
    if cidr.num_addresses < 4:
        raise entry.fail("cidr", f"{cidr_text} is too small to hand out addresses")
    return Subnet(
        name=entry.text("name"),
        id=entry.text("id"),
        cidr=cidr_text,
        ip_version=ip_version,
        gateway_ip=gateway,
    )


def _network(entry: _Entry) -> Network:
    entry.check_fields(("name", "id", "subnets"), ("router:external", "description"))
    subnets_value = entry.data["subnets"]
    if not isinstance(subnets_value, list) or not subnets_value:
        raise entry.fail("subnets", "must be a list of at least one subnet")
    subnets = []
    for index, item in enumerate(subnets_value):
        section = f"{entry.section}[{entry.index}].subnets"
        if not isinstance(item, Mapping):
            raise CatalogError(f"{entry.path}: {section}[{index}] must be a mapping of fields")
        subnets.append(_subnet(_Entry(entry.path, section, index, item)))
    return Network(
        name=entry.text("name"),
        id=entry.text("id"),
        subnets=tuple(subnets),
        external=entry.boolean("router:external", False),
    )


def _host(entry: _Entry) -> Host:
    entry.check_fields(
        ("name", "availability_zone", "vcpus", "memory_mb", "disk_gb"),
        (
            "vcpus_used",
            "memory_mb_used",
            "disk_gb_used",
            "cpu_allocation_ratio",
            "ram_allocation_ratio",
            "disk_allocation_ratio",
            "status",
            "disabled_reason",
            "state",
            "hypervisor_type",
            "traits",
            "aggregates",
            "instances",
        ),
    )
    status = entry.choice("status", ("enabled", "disabled"), "enabled")
    return Host(
        name=entry.text("name"),
        availability_zone=entry.text("availability_zone"),
        vcpus=entry.integer("vcpus"),
        memory_mb=entry.integer("memory_mb"),
        disk_gb=entry.integer("disk_gb"),
        vcpus_used=entry.integer("vcpus_used", 0),
        memory_mb_used=entry.integer("memory_mb_used", 0),
        disk_gb_used=entry.integer("disk_gb_used", 0),
        cpu_allocation_ratio=entry.number("cpu_allocation_ratio", 16.0),
        ram_allocation_ratio=entry.number("ram_allocation_ratio", 1.5),
        disk_allocation_ratio=entry.number("disk_allocation_ratio", 1.0),
        status=status,
        disabled_reason=entry.optional_text("disabled_reason"),
        state=entry.choice("state", ("up", "down"), "up"),
        hypervisor_type=entry.text("hypervisor_type", "QEMU"),
        traits=entry.text_list("traits"),
        aggregates=entry.text_list("aggregates"),
        instances=_host_instances(entry),
        given_ratios=frozenset(kind for kind in ("cpu", "ram", "disk") if f"{kind}_allocation_ratio" in entry.data),
    )


def _host_instances(entry: _Entry) -> tuple[HostInstance, ...]:
    value = entry.data.get("instances") or []
    if not isinstance(value, list):
        raise entry.fail("instances", f"must be a list of {{uuid, name}} entries, got {_describe(value)}")
    instances = []
    for index, item in enumerate(value):
        section = f"{entry.section}[{entry.index}].instances"
        if not isinstance(item, Mapping):
            raise CatalogError(f"{entry.path}: {section}[{index}] must be a mapping with uuid and name")
        instance = _Entry(entry.path, section, index, item)
        instance.check_fields(("uuid", "name"), ())
        instances.append(HostInstance(uuid=instance.text("uuid"), name=instance.text("name")))
    return tuple(instances)


SERVER_GROUP_POLICIES = ("affinity", "anti-affinity")


def _server_group(entry: _Entry) -> ServerGroup:
    entry.check_fields(("id", "name", "policy"), ("members",))
    return ServerGroup(
        id=entry.text("id"),
        name=entry.text("name"),
        policy=entry.choice("policy", SERVER_GROUP_POLICIES, "anti-affinity"),
        members=entry.text_list("members"),
    )


def _scheduler(path: Path, document: Mapping[str, Any]) -> SchedulerSettings:
    """The scheduler section: what it sets, with ``None`` for what it leaves to the flow."""
    from bootwalk.scheduler import FILTERS, WEIGHERS

    value = document.get("scheduler")
    defaults = SchedulerSettings()
    if value is None:
        return defaults
    if not isinstance(value, Mapping):
        raise CatalogError(f"{path}: 'scheduler:' must be a mapping, got {_describe(value)}")
    entry = _Entry(path, "scheduler", None, value)
    entry.check_fields((), ("enabled_filters", "weighers", "max_attempts"))
    filters = entry.text_list("enabled_filters") if "enabled_filters" in value else None
    for name in filters or ():
        if name not in FILTERS:
            raise entry.fail("enabled_filters", f"unknown filter {name!r}; known filters: {', '.join(FILTERS)}")
    if filters is not None and len(set(filters)) != len(filters):
        raise entry.fail("enabled_filters", "lists a filter twice")
    weighers: tuple[tuple[str, float], ...] | None = None
    if "weighers" in value:
        raw = value["weighers"]
        if not isinstance(raw, Mapping):
            raise entry.fail("weighers", f"must be a mapping of weigher: multiplier, got {_describe(raw)}")
        weighers = ()
        for name, multiplier in raw.items():
            if name not in WEIGHERS:
                raise entry.fail("weighers", f"unknown weigher {name!r}; known weighers: {', '.join(WEIGHERS)}")
            if isinstance(multiplier, bool) or not isinstance(multiplier, (int, float)):
                raise entry.fail("weighers", f"the multiplier of {name} must be a number, got {_describe(multiplier)}")
            problem = _out_of_range(multiplier, NUMBER_RANGES["scheduler", "weighers"])
            if problem is not None:
                raise entry.fail("weighers", f"the multiplier of {name} {problem}")
            weighers += ((str(name), float(multiplier)),)
    return SchedulerSettings(
        enabled_filters=filters,
        weighers=weighers,
        max_attempts=entry.integer("max_attempts", defaults.max_attempts),
    )


def _volume(entry: _Entry) -> Volume:
    entry.check_fields(("id", "name", "size", "status"), ("bootable",))
    return Volume(
        id=entry.text("id"),
        name=entry.text("name"),
        size=entry.integer("size"),
        status=entry.text("status"),
        bootable=entry.boolean("bootable", False),
    )


def _port(entry: _Entry) -> Port:
    entry.check_fields(("id", "network_id", "mac_address", "fixed_ip"), ("name", "status"))
    return Port(
        id=entry.text("id"),
        # neutron lets a port go unnamed (a lab's boots make such ports); a name given must not be empty.
        name=entry.text("name") if "name" in entry.data else "",
        network_id=entry.text("network_id"),
        mac_address=entry.text("mac_address"),
        fixed_ip=entry.address("fixed_ip"),
        status=entry.text("status", "DOWN"),
    )


def _keypair(entry: _Entry) -> Keypair:
    entry.check_fields(("name",), ("fingerprint",))
    return Keypair(name=entry.text("name"), fingerprint=entry.text("fingerprint", "-"))


def _security_group(entry: _Entry) -> str:
    entry.check_fields(("name",), ("description",))
    return entry.text("name")


def _quotas(path: Path, document: Mapping[str, Any]) -> Quotas:
    value = document.get("quotas")
    if value is None:
        return Quotas()
    if not isinstance(value, Mapping):
        raise CatalogError(f"{path}: 'quotas:' must be a mapping, got {_describe(value)}")
    entry = _Entry(path, "quotas", None, value)
    entry.check_fields((), ("instances", "cores", "ram", "in_use"))
    defaults = Quotas()
    in_use = value.get("in_use") or {}
    if not isinstance(in_use, Mapping):
        raise entry.fail("in_use", f"must be a mapping of instances, cores and ram, got {_describe(in_use)}")
    used = _Entry(path, "quotas.in_use", None, in_use)
    used.check_fields((), ("instances", "cores", "ram"))
    return Quotas(
        instances=entry.integer("instances", defaults.instances),
        cores=entry.integer("cores", defaults.cores),
        ram=entry.integer("ram", defaults.ram),
        instances_used=used.integer("instances", 0),
        cores_used=used.integer("cores", 0),
        ram_used=used.integer("ram", 0),
    )


def load_catalog(directory: Path) -> Catalog:
    """Load and validate ``flavors.yaml``, ``images.yaml`` and ``cloud.yaml`` from a directory."""
    if not directory.is_dir():
        raise CatalogError(
            f"{directory}: catalog directory not found; give --catalog (or "
            f"{CATALOG_ENVIRONMENT_VARIABLE}) a directory holding {', '.join(CATALOG_FILES)}"
        )
    flavors, images, cloud = (_document(directory / name) for name in CATALOG_FILES)
    return _catalog(flavors, images, cloud, directory)


def catalog_from_documents(documents: Mapping[str, Mapping[str, Any]], where: Path) -> Catalog:
    """Validate the three catalog documents, already parsed, into a :class:`Catalog`.

    ``documents`` maps each of :data:`CATALOG_FILES` to its document, as
    YAML or JSON reads it (names it does not hold are not looked at);
    ``where`` is the directory the errors name them in (``where /
    "cloud.yaml"``), which is not read. A document parsed elsewhere than
    :func:`load_catalog` is checked as strictly as a file: only what a YAML
    or JSON file can hold, no control character in any text, and every
    field as the file's. Its errors are the file's, without the line a
    YAML file gives.
    """
    flavors, images, cloud = (_given_document(where / name, documents, name) for name in CATALOG_FILES)
    return _catalog(flavors, images, cloud, where)


def _catalog(
    flavors_document: Mapping[str, Any],
    images_document: Mapping[str, Any],
    cloud_document: Mapping[str, Any],
    where: Path,
) -> Catalog:
    """The catalog of three documents that passed their files' checks (read from YAML, or handed in and checked)."""
    flavors_path, images_path, cloud_path = (where / name for name in CATALOG_FILES)

    flavors = tuple(_flavor(entry) for entry in _entries(flavors_path, flavors_document, "flavors"))
    images = tuple(_image(entry) for entry in _entries(images_path, images_document, "images"))
    networks = tuple(_network(entry) for entry in _entries(cloud_path, cloud_document, "networks"))
    hosts = tuple(_host(entry) for entry in _entries(cloud_path, cloud_document, "hosts"))
    volumes = tuple(_volume(e) for e in _entries(cloud_path, cloud_document, "volumes", False))
    ports = tuple(_port(e) for e in _entries(cloud_path, cloud_document, "ports", False))
    keypairs = tuple(_keypair(e) for e in _entries(cloud_path, cloud_document, "keypairs", False))
    groups = tuple(_security_group(e) for e in _entries(cloud_path, cloud_document, "security_groups", False))
    server_groups = tuple(_server_group(e) for e in _entries(cloud_path, cloud_document, "server_groups", False))
    if not flavors:
        raise CatalogError(f"{flavors_path}: 'flavors:' lists no flavor")
    if not images:
        raise CatalogError(f"{images_path}: 'images:' lists no image")
    if not hosts:
        raise CatalogError(f"{cloud_path}: 'hosts:' lists no compute host")
    _unique(flavors, lambda flavor: flavor.id, flavors_path, "flavors", "id")
    _unique(flavors, lambda flavor: flavor.name, flavors_path, "flavors", "name")
    _unique(images, lambda image: image.id, images_path, "images", "id")
    _unique(networks, lambda network: network.id, cloud_path, "networks", "id")
    _unique(networks, lambda network: network.name, cloud_path, "networks", "name")
    _unique(hosts, lambda host: host.name, cloud_path, "hosts", "name")
    _unique(server_groups, lambda group: group.id, cloud_path, "server_groups", "id")
    _unique(server_groups, lambda group: group.name, cloud_path, "server_groups", "name")
    _unique(
        tuple(instance for host in hosts for instance in host.instances),
        lambda instance: instance.uuid,
        cloud_path,
        "hosts[].instances",
        "uuid",
    )
    placed = {instance.uuid for host in hosts for instance in host.instances}
    for index, group in enumerate(server_groups):
        for member in group.members:
            if member not in placed:
                raise CatalogError(
                    f"{cloud_path}: server_groups[{index}] ({group.name}), field 'members': "
                    f"no host lists an instance with the uuid {member!r}"
                )
    network_ids = {network.id for network in networks}
    for index, port in enumerate(ports):
        if port.network_id not in network_ids:
            raise CatalogError(
                f"{cloud_path}: ports[{index}], field 'network_id': no network has the id {port.network_id!r}"
            )
    return Catalog(
        flavors=flavors,
        images=images,
        networks=networks,
        hosts=hosts,
        volumes=volumes,
        ports=ports,
        keypairs=keypairs,
        security_groups=groups or ("default",),
        quotas=_quotas(cloud_path, cloud_document),
        server_groups=server_groups,
        scheduler=_scheduler(cloud_path, cloud_document),
        instances_made=_Entry(cloud_path, "cloud", None, cloud_document).integer("instances_made", 0),
    )


def catalog_documents(catalog: Catalog) -> dict[str, dict[str, Any]]:
    """The three catalog documents for a catalog: what :func:`catalog_from_documents` reads back as it.

    Keyed by :data:`CATALOG_FILES`, each document holds only dicts, lists,
    text, numbers, booleans and None, in the order the shipped files write
    their fields, so it can be written as YAML (``yaml.safe_dump(...,
    sort_keys=False)``) or JSON. A field at its default is left out where the
    shipped files leave it out; what the typed catalog does not keep (a
    ``description``) is not written; ``instances_made`` (the instances a lab's
    boots have made) only when there are some. An allocation ratio is written only for the kinds
    in the host's ``given_ratios``: the others stay the flow's to fill in.
    """
    return {
        "flavors.yaml": {"flavors": [_flavor_document(flavor) for flavor in catalog.flavors]},
        "images.yaml": {"images": [_image_document(image) for image in catalog.images]},
        "cloud.yaml": {
            "networks": [_network_document(network) for network in catalog.networks],
            "hosts": [_host_document(host) for host in catalog.hosts],
            "server_groups": [_server_group_document(group) for group in catalog.server_groups],
            "scheduler": _scheduler_document(catalog.scheduler),
            "volumes": [_volume_document(volume) for volume in catalog.volumes],
            "ports": [_port_document(port) for port in catalog.ports],
            "keypairs": [_keypair_document(keypair) for keypair in catalog.keypairs],
            "security_groups": [{"name": name} for name in catalog.security_groups],
            "quotas": _quotas_document(catalog.quotas),
            **({"instances_made": catalog.instances_made} if catalog.instances_made else {}),
        },
    }


def write_catalog(directory: Path, catalog: Catalog) -> list[Path]:
    """Write the catalog as the three files into ``directory`` (made if missing); return their paths.

    Nothing is overwritten: a directory that already holds one of the files is
    refused before any is written, and each file appears whole or not at all
    (written beside, then linked to its name, which fails if it exists).
    Text that YAML 1.1 or 1.2 would read as something else (``1e5``, ``0o10``,
    ``yes``) is quoted, so that the files load back as the same catalog.
    """
    import os

    import yaml

    class _Dumper(yaml.SafeDumper):
        def represent_str(self, data: str) -> Any:  # type: ignore[override]
            plain = _core_schema_tag(data) == _YAML_TAG + "str" and not _ambiguous_in_1_1(data)
            return self.represent_scalar("tag:yaml.org,2002:str", data, style=None if plain else "'")

    _Dumper.add_representer(str, _Dumper.represent_str)
    paths = [directory / name for name in CATALOG_FILES]
    existing = [path for path in paths if os.path.lexists(path)]
    if existing:
        raise CatalogError(f"{existing[0]} exists: export into a directory without catalog files, so nothing is lost")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for path, document in zip(paths, catalog_documents(catalog).values(), strict=True):
            text = yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False)
            partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
            try:
                partial.write_text(text, encoding="utf-8")
                os.link(partial, path)
            finally:
                partial.unlink(missing_ok=True)
    except FileExistsError as error:
        raise CatalogError(f"{error.filename} exists: export into a directory without catalog files") from None
    except OSError as error:
        raise CatalogError(f"{directory}: cannot write the catalog files ({error.strerror})") from None
    return paths


def _ambiguous_in_1_1(text: str) -> bool:
    """Whether YAML 1.1 reads this plain text as something else (``yes``, ``on``, ``0x1f``, ``1_000``)."""
    import yaml

    resolved = yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return bool(resolved != "tag:yaml.org,2002:str")


def _text_map(mapping: Mapping[str, str]) -> dict[str, str]:
    """``extra_specs`` or ``properties`` as the loader leaves them: text keys and text values."""
    return {str(key): _scalar_text(value) for key, value in mapping.items()}


def _flavor_document(flavor: Flavor) -> dict[str, Any]:
    document: dict[str, Any] = {
        "name": flavor.name,
        "id": flavor.id,
        "vcpus": flavor.vcpus,
        "ram": flavor.ram,
        "disk": flavor.disk,
    }
    if flavor.ephemeral:
        document["ephemeral"] = flavor.ephemeral
    if flavor.swap:
        document["swap"] = flavor.swap
    if flavor.extra_specs:
        document["extra_specs"] = _text_map(flavor.extra_specs)
    return document


def _image_document(image: Image) -> dict[str, Any]:
    document: dict[str, Any] = {
        "name": image.name,
        "id": image.id,
        "status": image.status,
        "disk_format": image.disk_format,
        "container_format": image.container_format,
        "size": image.size,
        "min_disk": image.min_disk,
        "min_ram": image.min_ram,
        "visibility": image.visibility,
    }
    if image.properties:
        document["properties"] = _text_map(image.properties)
    return document


def _network_document(network: Network) -> dict[str, Any]:
    return {
        "name": network.name,
        "id": network.id,
        "router:external": network.external,
        "subnets": [
            {
                "name": subnet.name,
                "id": subnet.id,
                "cidr": subnet.cidr,
                "ip_version": subnet.ip_version,
                "gateway_ip": subnet.gateway_ip,
            }
            for subnet in network.subnets
        ],
    }


def _host_document(host: Host) -> dict[str, Any]:
    document: dict[str, Any] = {
        "name": host.name,
        "availability_zone": host.availability_zone,
        "hypervisor_type": host.hypervisor_type,
        "status": host.status,
    }
    if host.disabled_reason is not None:
        document["disabled_reason"] = host.disabled_reason
    document.update(
        state=host.state,
        vcpus=host.vcpus,
        memory_mb=host.memory_mb,
        disk_gb=host.disk_gb,
        vcpus_used=host.vcpus_used,
        memory_mb_used=host.memory_mb_used,
        disk_gb_used=host.disk_gb_used,
    )
    ratios = {"cpu": host.cpu_allocation_ratio, "ram": host.ram_allocation_ratio, "disk": host.disk_allocation_ratio}
    for kind, ratio in ratios.items():
        if kind in host.given_ratios:
            document[f"{kind}_allocation_ratio"] = float(ratio)
    if host.traits:
        document["traits"] = list(host.traits)
    if host.aggregates:
        document["aggregates"] = list(host.aggregates)
    if host.instances:
        document["instances"] = [{"uuid": instance.uuid, "name": instance.name} for instance in host.instances]
    return document


def _server_group_document(group: ServerGroup) -> dict[str, Any]:
    document: dict[str, Any] = {"id": group.id, "name": group.name, "policy": group.policy}
    if group.members:
        document["members"] = list(group.members)
    return document


def _scheduler_document(settings: SchedulerSettings) -> dict[str, Any]:
    document: dict[str, Any] = {}
    if settings.enabled_filters is not None:
        document["enabled_filters"] = list(settings.enabled_filters)
    if settings.weighers is not None:
        document["weighers"] = {name: float(multiplier) for name, multiplier in settings.weighers}
    document["max_attempts"] = settings.max_attempts
    return document


def _volume_document(volume: Volume) -> dict[str, Any]:
    return {
        "id": volume.id,
        "name": volume.name,
        "size": volume.size,
        "status": volume.status,
        "bootable": volume.bootable,
    }


def _port_document(port: Port) -> dict[str, Any]:
    document: dict[str, Any] = {"id": port.id}
    if port.name:
        document["name"] = port.name
    document.update(
        network_id=port.network_id,
        mac_address=port.mac_address,
        fixed_ip=port.fixed_ip,
        status=port.status,
    )
    return document


def _keypair_document(keypair: Keypair) -> dict[str, Any]:
    # The loader reads a keypair without a fingerprint as "-"; the model's own default is "".
    if not keypair.fingerprint:
        return {"name": keypair.name}
    return {"name": keypair.name, "fingerprint": keypair.fingerprint}


def _quotas_document(quotas: Quotas) -> dict[str, Any]:
    return {
        "instances": quotas.instances,
        "cores": quotas.cores,
        "ram": quotas.ram,
        "in_use": {"instances": quotas.instances_used, "cores": quotas.cores_used, "ram": quotas.ram_used},
    }
