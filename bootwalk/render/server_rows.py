"""The server's rows as ``nova show`` prints them: pure data, no rich.

python-novaclient's ``_print_server`` sorts the keys, prints None as ``-``
and dicts and lists as JSON, adds a ``<network> network`` row per network,
drops ``addresses`` and ``links``, prints the image as ``name (id)``, and
from microversion 2.47 splits the flavor into ``flavor:*`` rows.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def _value(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def server_rows(server: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The (Property, Value) rows of ``nova show`` for a server."""
    rows: dict[str, str] = {}
    for key, value in server.items():
        if key in ("addresses", "links"):
            continue
        if key == "flavor" and isinstance(value, Mapping):
            for part, part_value in value.items():
                rows[f"flavor:{part}"] = _value(part_value)
            continue
        if key == "image" and isinstance(value, Mapping):
            rows[key] = f"{value['name']} ({value['id']})"
            continue
        if key == "security_groups" and isinstance(value, list):
            rows[key] = ", ".join(group["name"] for group in value)
            continue
        if key == "fault" and isinstance(value, Mapping):
            rows[key] = json.dumps({"code": value["code"], "message": value["message"]})
            continue
        rows[key] = _value(value)
    for network, addresses in (server.get("addresses") or {}).items():
        rows[f"{network} network"] = ", ".join(entry["addr"] for entry in addresses)
    return sorted(rows.items())
