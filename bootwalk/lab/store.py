"""A lab's file: one SQLite database, opened for one command and changed in one transaction.

The schema (``PRAGMA user_version`` = :data:`SCHEMA_VERSION`):

- ``meta(key, value)``: ``lab`` (the marker that makes a database a lab),
  ``name``, ``flow``, ``seed``, ``boots`` (walks recorded so far),
  ``clock`` (where the lab's clock stands, in ms; absent in a lab made
  before it, read as 0) and ``exercise`` (empty when none);
- ``documents(kind, file, body)``: the cloud as the three catalog files
  (``flavors.yaml``, ``images.yaml``, ``cloud.yaml``), each a JSON document,
  twice: ``seed`` as the lab was created (``lab reset`` goes back to it) and
  ``current``, which every boot changes;
- ``servers(seq, id, name, status, host, body)``: each server a boot made,
  in the order made; ``body`` is its JSON record (with its ``actions``, its
  ``allocations`` today, and ``deleted`` once deleted: nova keeps the row).

A lab of an older schema is brought up to this one by :data:`MIGRATIONS`,
by the first command that opens it, in a transaction of its own.

A command that changes a lab takes the write lock first (``BEGIN
IMMEDIATE``), so that two commands never both read the same free address
or the same free RAM; a command that only reads opens the file read-only.
Every change is one transaction: a command interrupted before it commits
leaves the lab as it was. Nothing here imports click or rich; the command
line turns a :class:`LabError` into one line and exit 1.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from bootwalk.text import first_control

#: The schema this bootwalk writes and reads. A lab from a newer one is refused, never changed.
SCHEMA_VERSION = 1
#: How a lab of an older schema comes up to this one: for each version N, the statements that take it to N + 1,
#: run in order, in a transaction of their own, by the first command that opens the lab. A change of schema adds
#: its statements here and bumps SCHEMA_VERSION.
MIGRATIONS: dict[int, tuple[str, ...]] = {}
#: The file name of a lab: NAME + this suffix, in :func:`labs_directory`.
SUFFIX = ".lab"
#: How long a command waits for another one holding the lab, in seconds, before it gives up.
BUSY_SECONDS = 10.0
#: Lab names: a letter or digit, then letters, digits, ``.``, ``_`` or ``-`` (a file name on every system).
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")
#: The catalog files a lab keeps, in order.
FILES = ("flavors.yaml", "images.yaml", "cloud.yaml")

_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE documents (kind TEXT NOT NULL, file TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (kind, file))",
    "CREATE TABLE servers (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, "
    "status TEXT NOT NULL, host TEXT, body TEXT NOT NULL)",
)


class LabError(Exception):
    """What is wrong with a lab, or with asking for one, in one line that says what to do."""


def labs_directory() -> str:
    """Where labs live: ``BOOTWALK_LABS``, else ``$XDG_DATA_HOME/bootwalk/labs``, else ``~/.local/share/...``."""
    chosen = os.environ.get("BOOTWALK_LABS")
    if chosen:
        return chosen
    data = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(data, "bootwalk", "labs")


def check_name(name: str) -> str:
    """The name, if a lab may have it; else a LabError saying which names may be used."""
    if not NAME.match(name):
        raise LabError(
            f"{name!r} is not a lab name: use up to 64 ASCII letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return name


def lab_path(name: str) -> str:
    """The file of the lab called ``name``."""
    return os.path.join(labs_directory(), check_name(name) + SUFFIX)


def lab_names() -> list[str]:
    """The labs in the labs directory, by name."""
    try:
        entries = os.listdir(labs_directory())
    except FileNotFoundError:
        return []
    except OSError as error:
        raise LabError(f"cannot read the labs directory {labs_directory()}: {error.strerror}") from None
    names = (entry[: -len(SUFFIX)] for entry in entries if entry.endswith(SUFFIX))
    return sorted(name for name in names if NAME.match(name))


class Lab:
    """An open lab: its meta values, its catalog documents and its servers, inside one transaction."""

    def __init__(self, name: str, connection: sqlite3.Connection) -> None:
        self.name = name
        self._db = connection

    def damaged(self, what: str) -> LabError:
        """The one line for a lab whose file holds something a lab cannot."""
        return LabError(f"lab {self.name!r} is damaged: {what}; delete it (bootwalk lab delete {self.name})")

    def meta(self, key: str) -> str:
        """A meta value, which must be printable text (a name, a flow, a number, an exercise)."""
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise self.damaged(f"it has no {key!r}")
        value = row[0]
        if not isinstance(value, str) or len(value) > 200 or first_control(value) is not None:
            raise self.damaged(f"its {key!r} is not short printable text")
        return value

    def number(self, key: str) -> int:
        """A meta value that is a whole number (``seed``, ``boots``)."""
        value = self.meta(key)
        if not value.isascii() or not value.isdigit() or len(value) > 20:
            raise self.damaged(f"its {key!r} is not a whole number")
        return int(value)

    def clock(self) -> int:
        """Where the lab's simulated clock stands, in ms after 12:00:00 on its first day (0 in a lab made before)."""
        row = self._db.execute("SELECT 1 FROM meta WHERE key = 'clock'").fetchone()
        return 0 if row is None else self.number("clock")

    def flow(self) -> str:
        """The flow the lab's boots walk, one bootwalk knows."""
        from bootwalk.flows import flow_names

        value = self.meta("flow")
        if value not in flow_names():
            raise self.damaged(f"its flow is not one of {', '.join(flow_names())}")
        return value

    def set_meta(self, key: str, value: str | int) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, str(value)))

    def documents(self, kind: str = "current") -> dict[str, Any]:
        """The catalog documents, by file name."""
        found = dict(self._db.execute("SELECT file, body FROM documents WHERE kind = ?", (kind,)).fetchall())
        if sorted(found) != sorted(FILES):
            raise LabError(
                f"lab {self.name!r} is damaged: its {kind} catalog is incomplete; "
                f"delete it (bootwalk lab delete {self.name})"
            )
        return {file: _json(self, found[file]) for file in FILES}

    def set_documents(self, documents: Mapping[str, Any], kind: str = "current") -> None:
        for file in FILES:
            body = json.dumps(documents[file], allow_nan=False, sort_keys=False)
            self._db.execute("INSERT OR REPLACE INTO documents (kind, file, body) VALUES (?, ?, ?)", (kind, file, body))

    def servers(self) -> list[dict[str, Any]]:
        """The lab's servers (not the deleted ones), in the order made, each checked as a file may hold anything."""
        return [server for server in self.all_servers() if not server.get("deleted")]

    def all_servers(self) -> list[dict[str, Any]]:
        """Every server the lab's boots made, the deleted ones too (nova keeps their soft-deleted rows and actions)."""
        rows = self._db.execute("SELECT body FROM servers ORDER BY seq").fetchall()
        servers = [_server(self, _json(self, row[0])) for row in rows]
        if len({server["id"] for server in servers}) != len(servers):
            raise self.damaged("two servers have one id")
        return servers

    def _body(self, server: Mapping[str, Any]) -> str:
        """A server's record as the lab writes it, checked as it will be read back: a record the lab would
        call damaged is never written."""
        body = json.dumps(server, allow_nan=False)
        problem = "is larger than 1 MiB" if len(body) > MAX_RECORD else _server_problem(json.loads(body))
        if problem is not None:
            raise LabError(f"lab {self.name!r} cannot keep server {server.get('name')!r}: its record {problem}; "
                           "the lab was left as it was")  # fmt: skip
        return body

    def add_server(self, server: Mapping[str, Any]) -> None:
        body = self._body(server)
        self._db.execute(
            "INSERT INTO servers (id, name, status, host, body) VALUES (?, ?, ?, ?, ?)",
            (server["id"], server["name"], server["status"], server.get("host"), body),
        )

    def mark_deleted(self, server: Mapping[str, Any]) -> None:
        """Keep a deleted server's record (its actions with it) as nova keeps the soft-deleted row; list omits it."""
        body = self._body({**server, "deleted": True, "status": "DELETED", "task_state": None})
        cursor = self._db.execute("UPDATE servers SET status = 'DELETED', body = ? WHERE id = ?", (body, server["id"]))
        if cursor.rowcount != 1:
            raise self.damaged(f"server {server['name']}'s record does not match its row")

    def clear_servers(self) -> None:
        self._db.execute("DELETE FROM servers")


#: The largest record a lab keeps, in characters (a server with its nova show is a few KB).
MAX_RECORD = 1024 * 1024


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _json(lab: Lab, text: Any) -> Any:
    """A record's JSON: text, at most :data:`MAX_RECORD` long, strict (no NaN), not nested past recursion."""
    if not isinstance(text, str) or len(text) > MAX_RECORD:
        raise lab.damaged(f"a record is not JSON text of at most {MAX_RECORD} characters")
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        raise lab.damaged("a record is not JSON") from None


def _text(value: Any, most: int = 255, empty: bool = False) -> bool:
    """Printable text of at most ``most`` characters (a name, an address)."""
    return isinstance(value, str) and (empty or bool(value)) and len(value) <= most and first_control(value) is None


def _printable(value: Any, depth: int = 0) -> bool:
    """Whether every text in a JSON value (keys included) is free of control characters, within 32 levels."""
    if depth > 32:
        return False
    if isinstance(value, str):
        return first_control(value) is None
    if isinstance(value, list):
        return all(_printable(item, depth + 1) for item in value)
    if isinstance(value, dict):
        return all(_printable(key, depth) and _printable(item, depth + 1) for key, item in value.items())
    return True


def _server(lab: Lab, record: Any) -> dict[str, Any]:
    """A server record as a lab's boots write it, or the line that says the lab is damaged."""
    problem = _server_problem(record)
    if problem is not None:
        raise lab.damaged(f"a server record {problem}")
    server: dict[str, Any] = record
    return server


def _server_problem(record: Any) -> str | None:
    if not isinstance(record, dict):
        return "is not a mapping"
    if not _printable(record):
        return "holds a control character or nests too deep"
    for key in ("id", "name", "status", "instance_name"):  # a multi-create's names gain "-<uuid>": 255 + 37
        if not _text(record.get(key), 1024 if key == "name" else 255):
            return f"has no {key} as text"
    for key in ("host", "task_state", "group", "cell"):
        if record.get(key) is not None and not _text(record[key]):
            return f"has a {key} that is not text"
    power = record.get("power_state")
    if power is not None and (isinstance(power, bool) or not isinstance(power, int) or not 0 <= power <= 7):
        return "has a power_state that is not 0 to 7"
    networks = record.get("networks") or {}
    if not isinstance(networks, dict) or not all(
        _text(name) and isinstance(addresses, list) and all(_text(a, 45) for a in addresses)
        for name, addresses in networks.items()
    ):
        return "has networks that are not names with lists of addresses"
    flavor, image = record.get("flavor"), record.get("image")
    if not isinstance(flavor, dict) or not _text(flavor.get("name")) or not _text(flavor.get("id")):
        return "has no flavor with a name and an id"
    if image is not None and (not isinstance(image, dict) or not _text(image.get("name"), empty=True)):
        return "has an image that is not a name and an id"
    fault = record.get("fault")
    if fault is not None and (not isinstance(fault, dict) or not _text(fault.get("message"), 10_000, empty=True)):
        return "has a fault without a message"
    for key in ("view", "request"):
        if record.get(key) is not None and not isinstance(record[key], dict):
            return f"has a {key} that is not a mapping"
    allocations = record.get("allocations")
    if allocations is not None and not (
        isinstance(allocations, dict)
        and all(
            _text(provider) and isinstance(held, dict) and isinstance(held.get("resources"), dict)
            for provider, held in allocations.items()
        )
    ):
        return "has allocations that are not resources by provider"
    if not isinstance(record.get("deleted", False), bool):
        return "has a deleted that is not true or false"
    actions = record.get("actions", [])
    if not isinstance(actions, list) or not all(_action(action) for action in actions):
        return "has actions that are not instance actions"
    return None


def _action(action: Any) -> bool:
    """An instance action as a lab keeps it: its name, request ID and time, and its events."""
    if not isinstance(action, dict) or not all(
        _text(action.get(key)) for key in ("action", "request_id", "start_time")
    ):
        return False
    events = action.get("events", [])
    return isinstance(events, list) and all(
        isinstance(event, dict) and _text(event.get("event")) and _text(event.get("result")) for event in events
    )


def _connect(path: str, mode: str) -> sqlite3.Connection:
    """A connection that never creates a file it was not asked to (``mode`` ``ro``, ``rw`` or ``rwc``)."""
    uri = "file:" + path.replace("%", "%25").replace("?", "%3f").replace("#", "%23") + f"?mode={mode}"
    # SQLite waits for a lock inside C, where Ctrl-C cannot reach: wait in short turns (see _begin).
    connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TURN_SECONDS, isolation_level=None)
    return connection


#: How long one turn of waiting for a busy lab lasts: Ctrl-C is answered between turns.
BUSY_TURN_SECONDS = 0.1


def _begin(connection: sqlite3.Connection, statement: str) -> None:
    """Begin the transaction, waiting for a lab another command holds in short turns, at most BUSY_SECONDS.

    Once begun, a statement waits as long as BUSY_SECONDS for a lock (a commit under way elsewhere).
    """
    import time

    deadline = time.monotonic() + BUSY_SECONDS
    while True:
        try:
            connection.execute(statement)
            break
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise
    connection.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")


def _explain(name: str, path: str, error: sqlite3.Error) -> LabError:
    """One line for what SQLite said, with what to do."""
    text = str(error)
    if isinstance(error, sqlite3.OperationalError) and "readonly" in text:
        return LabError(f"lab {name!r} ({path}) cannot be written: the file or its directory is read-only")
    if isinstance(error, sqlite3.IntegrityError):
        return LabError(
            f"lab {name!r} is damaged ({text}); it was left as it is: delete it (bootwalk lab delete {name})"
        )
    if isinstance(error, sqlite3.OperationalError) and "locked" in text:
        return LabError(
            f"lab {name!r} is busy: another bootwalk command has held it for {BUSY_SECONDS:g} s; "
            "try again when that one ends"
        )
    if isinstance(error, sqlite3.DatabaseError) and ("not a database" in text or "malformed" in text):
        return LabError(
            f"{path} is damaged or not a lab ({text}); it was left as it is: delete it (bootwalk lab delete {name})"
        )
    return LabError(f"lab {name!r} ({path}): {text}")


class _Older(Exception):
    """A reader found a lab of an older schema: it is brought up to date first, by a writer."""


def _migrate(name: str, connection: sqlite3.Connection, write: bool) -> None:
    """Bring a lab of an older schema up to this one, in a writer's transaction (a reader asks for one)."""
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version >= SCHEMA_VERSION:
        return
    if not write:
        raise _Older
    for step in range(version, SCHEMA_VERSION):
        for statement in MIGRATIONS[step]:
            connection.execute(statement)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _check_lab(name: str, path: str, connection: sqlite3.Connection) -> None:
    """Refuse a database that is not a lab, or a lab of a newer schema, before anything reads or writes it."""
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"meta", "documents", "servers"} <= tables or version == 0:
        raise LabError(f"{path} is not a bootwalk lab; it was left as it is")
    if version > SCHEMA_VERSION:
        raise LabError(
            f"lab {name!r} was written by a newer bootwalk (lab schema {version}; this one reads {SCHEMA_VERSION}); "
            "it was left as it is: upgrade bootwalk to use it"
        )
    marker = connection.execute("SELECT value FROM meta WHERE key = 'lab'").fetchone()
    if marker is None:
        raise LabError(f"{path} is not a bootwalk lab; it was left as it is")


@contextmanager
def open_lab(name: str, write: bool = False) -> Iterator[Lab]:
    """The lab called ``name``, in one transaction (see :func:`_open_lab`); a lab of an older schema is first
    brought up to this one, in a transaction of its own, by whichever command opens it first."""
    try:
        with _open_lab(name, write) as lab:
            yield lab
            return
    except _Older:
        pass
    with _open_lab(name, write=True):  # the migration, committed on its own
        pass
    with _open_lab(name, write) as lab:
        yield lab


@contextmanager
def _open_lab(name: str, write: bool = False) -> Iterator[Lab]:
    """The lab called ``name``, in one transaction: committed when the block ends, rolled back if it raises.

    ``write`` takes the lab's write lock first (``BEGIN IMMEDIATE``): a second
    writer waits for it, at most :data:`BUSY_SECONDS`. A reader opens the file
    read-only and sees the lab as the last command committed it.
    """
    path = lab_path(name)
    if not os.path.lexists(path):
        raise LabError(f"no lab named {name!r}; create it with: bootwalk lab create {name} (see bootwalk lab list)")
    if not os.path.isfile(path):  # a directory, a device, a pipe, or a link to nothing
        raise LabError(f"{path} is not a lab file; it was left as it is: move it away to use the name")
    try:
        connection = _connect(path, "rw" if write else "ro")
    except sqlite3.Error as error:
        raise _explain(name, path, error) from None
    try:
        try:
            _begin(connection, "BEGIN IMMEDIATE" if write else "BEGIN")
            _check_lab(name, path, connection)
            _migrate(name, connection, write)
        except sqlite3.Error as error:
            raise _explain(name, path, error) from None
        try:
            yield Lab(name, connection)
        except sqlite3.Error as error:  # a write refused (read-only, damaged): nothing of it is kept
            connection.rollback()
            raise _explain(name, path, error) from None
        except BaseException:
            connection.rollback()
            raise
        try:
            connection.commit()
        except sqlite3.Error as error:
            raise _explain(name, path, error) from None
    finally:
        connection.close()


def create_lab(name: str, meta: Mapping[str, str | int], documents: Mapping[str, Any]) -> str:
    """Make a new lab file, whole or not at all, and never over one that exists; return its path.

    It is written under a temporary name beside it and linked to its own name
    only once complete: two ``lab create`` of one name cannot both succeed,
    and an interrupted one leaves no half lab behind.
    """
    path = lab_path(name)
    directory = os.path.dirname(path)
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as error:
        raise LabError(f"cannot make the labs directory {directory}: {error.strerror}") from None
    if os.path.lexists(path) and not os.path.isfile(path):
        raise LabError(f"{path} is not a lab file; it was left as it is: move it away to use the name")
    if os.path.lexists(path):
        raise LabError(
            f"a lab named {name!r} already exists: use it, reset it or delete it (bootwalk lab delete {name})"
        )
    temporary = os.path.join(directory, f".{name}.{os.getpid()}.creating")
    try:
        connection = _connect(temporary, "rwc")
        try:
            connection.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA:
                connection.execute(statement)
            lab = Lab(name, connection)
            lab.set_meta("lab", "bootwalk")
            for key, value in meta.items():
                lab.set_meta(key, value)
            lab.set_documents(documents, "seed")
            lab.set_documents(documents, "current")
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            connection.commit()
        finally:
            connection.close()
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise LabError(
                f"a lab named {name!r} already exists: use it, reset it or delete it (bootwalk lab delete {name})"
            ) from None
    except sqlite3.Error as error:
        raise LabError(f"cannot write the lab {path}: {error}") from None
    except OSError as error:
        raise LabError(f"cannot write the lab {path}: {error.strerror}") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path


def delete_lab(name: str) -> str:
    """Remove the lab's file (a damaged one too); return the path it had."""
    path = lab_path(name)
    if not os.path.lexists(path):
        raise LabError(f"no lab named {name!r} (see bootwalk lab list)")
    if os.path.isdir(path) and not os.path.islink(path):
        raise LabError(f"{path} is a directory, not a lab; it was left as it is")
    try:
        os.unlink(path)
    except OSError as error:
        raise LabError(f"cannot delete {path}: {error.strerror}") from None
    return path
