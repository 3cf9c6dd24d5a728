"""Exercises for class: data (``exercises.yaml`` beside the catalogs) that sets a lab up and checks it.

An exercise has a name, a title and a task; a ``setup`` that changes the
catalog documents a lab starts from (fields of named hosts, server groups to
add, the project's quota); and ``goals``, each "at least N servers with these
fields", which ``lab check`` reads from the lab's servers. Pure: the
documents are parsed by the caller (the file may come from anyone, so it is
read as a catalog is) and validated here field by field.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from bootwalk.records import dataclass
from bootwalk.text import first_control, visible


class ExerciseError(ValueError):
    """What is wrong with the exercises file, in one line naming the exercise and the field."""


@dataclass(frozen=True)
class Goal:
    """At least ``count`` servers with every field given (None: any), on distinct hosts if asked."""

    description: str
    count: int = 1
    status: str | None = None
    flavor: str | None = None
    fault: str | None = None
    group: str | None = None
    distinct_hosts: bool = False

    def matches(self, server: Mapping[str, Any]) -> bool:
        """Whether one server is of the kind this goal counts."""
        fault = (server.get("fault") or {}).get("message") or ""
        return (
            (self.status is None or server.get("status") == self.status)
            and (self.flavor is None or (server.get("flavor") or {}).get("name") == self.flavor)
            and (self.fault is None or fault.startswith(self.fault))
            and (self.group is None or server.get("group") == self.group)
        )

    def found(self, servers: Sequence[Mapping[str, Any]]) -> int:
        """How many of the servers count towards the goal (one a host, when they must be on distinct hosts)."""
        matching = [server for server in servers if self.matches(server)]
        if self.distinct_hosts:
            return len({server.get("host") for server in matching if server.get("host")})
        return len(matching)


@dataclass(frozen=True)
class Exercise:
    """One exercise: what it is, how it sets the lab up, and what ``lab check`` looks for."""

    name: str
    title: str
    task: str
    hosts: Mapping[str, Mapping[str, Any]]
    server_groups: tuple[Mapping[str, Any], ...]
    quotas: Mapping[str, Any] | None
    goals: tuple[Goal, ...]

    def set_up(self, documents: Mapping[str, Any]) -> dict[str, Any]:
        """The catalog documents with this exercise's setup applied (the caller validates the result)."""
        changed = copy.deepcopy(dict(documents))
        cloud = changed["cloud.yaml"]
        hosts = {host.get("name"): host for host in cloud.get("hosts") or []}
        for name, fields in self.hosts.items():
            if name not in hosts:
                raise ExerciseError(f"exercise {self.name}: setup.hosts: the catalog has no host {name!r}")
            hosts[name].update(fields)
        cloud["server_groups"] = [*(cloud.get("server_groups") or []), *(dict(group) for group in self.server_groups)]
        if self.quotas is not None:
            cloud["quotas"] = {**(cloud.get("quotas") or {}), **self.quotas}
        return changed

    def progress(self, servers: Sequence[Mapping[str, Any]]) -> list[tuple[Goal, int]]:
        """Each goal and how many servers count towards it."""
        return [(goal, goal.found(servers)) for goal in self.goals]


_GOAL_FIELDS = {"description", "count", "status", "flavor", "fault", "group", "distinct_hosts"}
_EXERCISE_FIELDS = {"name", "title", "task", "setup", "goals"}
_SETUP_FIELDS = {"hosts", "server_groups", "quotas"}


def _text(value: Any, where: str, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ExerciseError(f"{where}: {field} must be text")
    found = first_control(value, allow_line_breaks=True)
    if found is not None:
        raise ExerciseError(f"{where}: {field} holds a control character ({visible(found)}); text must be printable")
    return value


def _mapping(value: Any, where: str, field: str, allowed: set[str]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ExerciseError(f"{where}: {field} must be a mapping")
    unknown = sorted(str(key) for key in value if key not in allowed)
    if unknown:
        raise ExerciseError(
            f"{where}: {field} has an unknown field {unknown[0]!r}; known: {', '.join(sorted(allowed))}"
        )
    return value


def _goal(value: Any, where: str) -> Goal:
    fields = _mapping(value, where, "a goal", _GOAL_FIELDS)
    count = fields.get("count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 1000:
        raise ExerciseError(f"{where}: count must be a whole number from 1 to 1000")
    status = fields.get("status")
    if status not in (None, "ACTIVE", "ERROR"):
        raise ExerciseError(f"{where}: status must be ACTIVE or ERROR")
    distinct = fields.get("distinct_hosts", False)
    if not isinstance(distinct, bool):
        raise ExerciseError(f"{where}: distinct_hosts must be true or false")
    optional = {key: _text(fields[key], where, key) for key in ("flavor", "fault", "group") if key in fields}
    return Goal(description=_text(fields.get("description"), where, "description"), count=count, status=status,
                distinct_hosts=distinct, **optional)  # fmt: skip


def exercises_from(document: Any, where: str) -> tuple[Exercise, ...]:
    """The exercises of a parsed ``exercises.yaml``; an ExerciseError names the first thing wrong."""
    if not isinstance(document, Mapping) or not isinstance(document.get("exercises"), list):
        raise ExerciseError(f"{where}: must hold 'exercises:', a list")
    made: list[Exercise] = []
    for index, entry in enumerate(document["exercises"]):
        place = f"{where}: exercises[{index}]"
        fields = _mapping(entry, place, "an exercise", _EXERCISE_FIELDS)
        name = _text(fields.get("name"), place, "name")
        place = f"{where}: exercise {name}"
        setup = _mapping(fields.get("setup") or {}, place, "setup", _SETUP_FIELDS)
        hosts = setup.get("hosts") or {}
        if not isinstance(hosts, Mapping) or not all(isinstance(f, Mapping) for f in hosts.values()):
            raise ExerciseError(f"{place}: setup.hosts must map host names to fields")
        groups = setup.get("server_groups") or []
        if not isinstance(groups, list) or not all(isinstance(group, Mapping) for group in groups):
            raise ExerciseError(f"{place}: setup.server_groups must be a list of groups")
        quotas = setup.get("quotas")
        if quotas is not None and not isinstance(quotas, Mapping):
            raise ExerciseError(f"{place}: setup.quotas must be a mapping")
        goals = fields.get("goals")
        if not isinstance(goals, list) or not goals:
            raise ExerciseError(f"{place}: goals must be a list of at least one goal")
        made.append(
            Exercise(
                name=name,
                title=_text(fields.get("title"), place, "title"),
                task=_text(fields.get("task"), place, "task"),
                hosts={str(host): dict(changes) for host, changes in hosts.items()},
                server_groups=tuple(dict(group) for group in groups),
                quotas=None if quotas is None else dict(quotas),
                goals=tuple(_goal(goal, f"{place}, goals[{number}]") for number, goal in enumerate(goals)),
            )
        )
    names = [exercise.name for exercise in made]
    if len(set(names)) != len(names):
        raise ExerciseError(f"{where}: two exercises are called {next(n for n in names if names.count(n) > 1)!r}")
    return tuple(made)
