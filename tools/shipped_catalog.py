"""Write bootwalk/shipped_catalog.py: the shipped catalogs, loaded and validated once, as Python.

    python tools/shipped_catalog.py

A walk with the shipped catalogs then starts without PyYAML and without
validating them again: it imports the typed objects this writes. Run it
after editing flavors.yaml, images.yaml or cloud.yaml at the top level; a
test fails until the module equals what loading the YAML gives.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bootwalk.catalog import CATALOG_FILES, load_catalog  # noqa: E402
from bootwalk.model import Catalog  # noqa: E402

TARGET = ROOT / "bootwalk" / "shipped_catalog.py"

HEADER = '''"""The catalogs bootwalk ships, loaded and validated once: made by tools/shipped_catalog.py. Do not edit.

Made from {files} at the top of the source tree. A walk with
the shipped catalogs imports these typed objects, so it needs neither
PyYAML nor the validation again; a catalog of the user's own is still read
from YAML. A test holds this module equal to what loading the YAML gives.
"""

from bootwalk.model import (
{names})

CATALOG = Catalog(
'''


def _names(value: Any, found: set[str]) -> None:
    """Every model class a value's repr names."""
    if hasattr(value, "__dataclass_fields__"):
        found.add(type(value).__name__)
        for name in value.__dataclass_fields__:
            _names(getattr(value, name), found)
    elif isinstance(value, (tuple, list, frozenset, set)):
        for item in value:
            _names(item, found)
    elif isinstance(value, dict):
        for item in value.values():
            _names(item, found)


def literal(value: Any) -> str:
    """Python source for a catalog value; a set's items sorted, so the text is the same on every run."""
    if hasattr(value, "__dataclass_fields__"):
        fields = ", ".join(f"{name}={literal(getattr(value, name))}" for name in value.__dataclass_fields__)
        return f"{type(value).__name__}({fields})"
    if isinstance(value, frozenset):
        return f"frozenset({{{', '.join(sorted(map(literal, value)))}}})" if value else "frozenset()"
    if isinstance(value, tuple):
        items = [literal(item) for item in value]
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    return repr(value)


def render(catalog: Catalog | None = None) -> str:
    """The module's text for the catalogs at the top of the source tree (or for ``catalog``)."""
    catalog = catalog or load_catalog(ROOT)
    found: set[str] = set()
    _names(catalog, found)
    lines = [HEADER.format(files=", ".join(CATALOG_FILES), names="".join(f"    {n},\n" for n in sorted(found)))]
    for name in catalog.__dataclass_fields__:
        value = getattr(catalog, name)
        if isinstance(value, tuple) and value and hasattr(value[0], "__dataclass_fields__"):
            lines.append(f"    {name}=(\n")
            lines.extend(f"        {literal(item)},\n" for item in value)
            lines.append("    ),\n")
        else:
            lines.append(f"    {name}={literal(value)},\n")
    lines.append(")\n")
    return "".join(lines)


def main() -> int:
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
