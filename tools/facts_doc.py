"""Write docs/facts.md: every fact each flow states, by release, with the file and function it was read from.

The facts live in ``bootwalk/facts/`` (one module per release); this page is
made from them, so it cannot say other than what the walk says.

    python tools/facts_doc.py          # rewrite docs/facts.md
    python tools/facts_doc.py --check  # exit 1 when it is stale
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bootwalk.facts import DefaultFact, ErrorFact, LogFact, RpcFact
from bootwalk.flows import flow_names, get_flow

PAGE = Path(__file__).resolve().parent.parent / "docs" / "facts.md"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


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
            "",
        ]
        entries = list(flow.facts.entries())
        lines += ["### Log lines", "", "| Moment | Service | Level | Text | Read in |", "|---|---|---|---|---|"]
        for _kind, key, fact in entries:
            if isinstance(fact, LogFact):
                lines.append(
                    f"| {key} | {fact.service.value} | {fact.level} | `{_cell(fact.template)}` | {_cell(fact.source)} |"
                )
        lines += [
            "",
            "### Errors and faults",
            "",
            "| Key | Exception | HTTP | Text | Read in |",
            "|---|---|---|---|---|",
        ]
        for _kind, key, fact in entries:
            if isinstance(fact, ErrorFact):
                status = "fault" if fact.http_status is None else str(fact.http_status)
                lines.append(
                    f"| {key} | {fact.exception} | {status} | `{_cell(fact.template)}` | {_cell(fact.source)} |"
                )
        lines += [
            "",
            "### RPC",
            "",
            "| Key | Method | Topic | Cast or call | Version | Read in |",
            "|---|---|---|---|---|---|",
        ]
        for _kind, key, fact in entries:
            if isinstance(fact, RpcFact):
                topic = fact.topic + (f" ({fact.namespace})" if fact.namespace else "")
                lines.append(
                    f"| {key} | {fact.method} | {topic} | {fact.mode} | {fact.version or '-'} | {_cell(fact.source)} |"
                )
        lines += ["", "### Defaults", "", "| Key | Option | Value | Read in |", "|---|---|---|---|"]
        for _kind, key, fact in entries:
            if isinstance(fact, DefaultFact):
                lines.append(f"| {key} | {_cell(fact.option)} | `{_cell(fact.value)}` | {_cell(fact.source)} |")
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
