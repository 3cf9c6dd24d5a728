"""Write docs/facts.md: every fact each flow states, by release, with the file and function it was read from.

The facts live in ``bootwalk/facts/`` (one module per release); this page is
made from them, so it cannot say other than what the walk says.

    python tools/facts_doc.py          # rewrite docs/facts.md
    python tools/facts_doc.py --check  # exit 1 when it is stale
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bootwalk.facts import DefaultFact, ErrorFact, LogFact, RpcFact
from bootwalk.flows import flow_names, get_flow

PAGE = Path(__file__).resolve().parent.parent / "docs" / "facts.md"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _log(key: str, fact: LogFact) -> list[str]:
    return [key, fact.service.value, fact.level, f"`{_cell(fact.template)}`", _cell(fact.source)]


def _error(key: str, fact: ErrorFact) -> list[str]:
    status = "fault" if fact.http_status is None else str(fact.http_status)
    return [key, fact.exception, status, f"`{_cell(fact.template)}`", _cell(fact.source)]


def _rpc(key: str, fact: RpcFact) -> list[str]:
    topic = fact.topic + (f" ({fact.namespace})" if fact.namespace else "")
    return [key, fact.method, topic, fact.mode, fact.version or "-", _cell(fact.source)]


def _default(key: str, fact: DefaultFact) -> list[str]:
    return [key, _cell(fact.option), f"`{_cell(fact.value)}`", _cell(fact.source)]


#: Each table of the page: its title, its headings, the facts it lists and how a row reads.
SECTIONS: list[tuple[str, tuple[str, ...], type, Callable[[str, Any], list[str]]]] = [
    ("Log lines", ("Moment", "Service", "Level", "Text", "Read in"), LogFact, _log),
    ("Errors and faults", ("Key", "Exception", "HTTP", "Text", "Read in"), ErrorFact, _error),
    ("RPC", ("Key", "Method", "Topic", "Cast or call", "Version", "Read in"), RpcFact, _rpc),
    ("Defaults", ("Key", "Option", "Value", "Read in"), DefaultFact, _default),
]


def render() -> str:
    lines = [
        "# The facts bootwalk states, by release",
        "",
        "Made by `python tools/facts_doc.py` from `bootwalk/facts/`; do not edit by hand. Each flow shows one "
        "release of nova and takes every log line, error, RPC and default from that release's module. "
        "Templates are nova's own format strings. `tools/check_sources.py NOVA_GIT_DIR` checks that every "
        "file and function named here exists at the release.",
    ]
    for name in flow_names():
        flow = get_flow(name)
        release = flow.facts.release
        lines += [
            "",
            f"## {flow.title}: {release.name}",
            "",
            f"nova at `{release.tag}` (commit `{release.commit}`); the client: {release.client}.",
        ]
        entries = list(flow.facts.entries())
        for title, headings, kind, row in SECTIONS:
            lines += ["", f"### {title}", "", "| " + " | ".join(headings) + " |", "|" + "---|" * len(headings)]
            lines += [
                "| " + " | ".join(row(key, fact)) + " |" for _kind, key, fact in entries if isinstance(fact, kind)
            ]
        lines += ["", "### Files", "", ", ".join(f"`{path}`" for path in sorted(flow.facts.files))]
    return "\n".join(lines) + "\n"


def main(check: bool) -> int:
    text = render()
    if check:
        current = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
        if current != text:
            print("docs/facts.md is stale: run python tools/facts_doc.py")
            return 1
        return 0
    PAGE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv[1:]))
