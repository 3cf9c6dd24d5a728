"""Hostile catalogs (issue 11): each is refused at load with one line and exit 1, through the command line.

A catalog travels from instructor to students and back, so every file is
treated as hostile: what it holds is refused before it can hang the tool,
eat its memory or reach the terminal. Each case asserts the whole error line.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from bootwalk.catalog import (
    CATALOG_FILES,
    MAX_CATALOG_BYTES,
    NUMBER_RANGES,
    CatalogError,
    load_catalog,
    shipped_catalog_directory,
)
from bootwalk.cli import cli
from bootwalk.exit_codes import ExitCode

SHIPPED = shipped_catalog_directory()

#: Seconds a subprocess may take before the test fails instead of hanging.
TIMEOUT = 60


@pytest.fixture
def own(tmp_path: Path) -> Path:
    """A writable copy of the shipped catalogs."""
    for name in CATALOG_FILES:
        shutil.copyfile(SHIPPED / name, tmp_path / name)
    return tmp_path


def refusal(directory: Path) -> str:
    """``bootwalk flavor-list --catalog DIRECTORY``: check exit 1, empty stdout, one stderr line; return the line."""
    result = CliRunner().invoke(cli, ["flavor-list", "--catalog", str(directory)], prog_name="bootwalk")
    assert result.exit_code == ExitCode.ERROR, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    return result.stderr.removeprefix("Error: ").removesuffix("\n")


def refusal_in_a_process(directory: Path) -> str:
    """As :func:`refusal`, in a process of its own with a timeout, for files that could make a reader wait."""
    completed = subprocess.run(
        [sys.executable, "-m", "bootwalk", "flavor-list", "--catalog", str(directory)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert completed.returncode == ExitCode.ERROR, completed.stderr
    assert completed.stdout == ""
    assert completed.stderr.startswith("Error: ") and completed.stderr.count("\n") == 1, completed.stderr
    return completed.stderr.removeprefix("Error: ").removesuffix("\n")


# --- Only plain files are read, and no more than 1 MiB of one ------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(own: Path) -> None:
    cloud = own / "cloud.yaml"
    cloud.unlink()
    os.mkfifo(cloud)
    assert refusal_in_a_process(own) == f"{cloud}: is a named pipe, not a catalog file"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_link_to_a_device_is_refused_without_reading_it(own: Path) -> None:
    images = own / "images.yaml"
    images.unlink()
    images.symlink_to("/dev/zero")
    assert refusal_in_a_process(own) == f"{images}: is a character device, not a catalog file"


def test_a_directory_is_refused(own: Path) -> None:
    flavors = own / "flavors.yaml"
    flavors.unlink()
    flavors.mkdir()
    assert refusal(own) == f"{flavors}: is a directory, not a catalog file"


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="needs Unix sockets")
def test_a_socket_is_refused(own: Path) -> None:
    cloud = own / "cloud.yaml"
    cloud.unlink()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listening:
        listening.bind(str(cloud))
        assert refusal(own) == f"{cloud}: is a socket, not a catalog file"


def test_a_link_to_a_plain_file_is_read(own: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "flavors.yaml"
    (own / "flavors.yaml").rename(elsewhere)
    (own / "flavors.yaml").symlink_to(elsewhere)
    result = CliRunner().invoke(cli, ["flavor-list", "--catalog", str(own)], catch_exceptions=False)
    assert result.exit_code == ExitCode.OK
    assert "m1.tiny" in result.stdout


def _padded_flavors(size: int) -> bytes:
    """A valid flavors.yaml of exactly ``size`` bytes: one flavor, then a comment that fills the rest."""
    head = b"flavors:\n  - {name: m1.tiny, id: '1', vcpus: 1, ram: 512, disk: 1}\n# "
    return head + b"x" * (size - len(head) - 1) + b"\n"


def test_a_catalog_file_of_exactly_the_limit_is_read(own: Path) -> None:
    (own / "flavors.yaml").write_bytes(_padded_flavors(MAX_CATALOG_BYTES))
    result = CliRunner().invoke(cli, ["flavor-list", "--catalog", str(own)], catch_exceptions=False)
    assert result.exit_code == ExitCode.OK
    assert "m1.tiny" in result.stdout


def test_a_catalog_file_one_byte_over_the_limit_is_refused(own: Path) -> None:
    flavors = own / "flavors.yaml"
    flavors.write_bytes(_padded_flavors(MAX_CATALOG_BYTES + 1))
    assert refusal(own) == f"{flavors}: is larger than 1 MiB (1048576 bytes), the most a catalog file may hold"


def test_a_catalog_file_that_grows_after_its_size_was_checked_is_cut_off(
    own: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flavors = own / "flavors.yaml"
    flavors.write_bytes(_padded_flavors(2 * MAX_CATALOG_BYTES))
    real_stat = os.stat

    def stat_of_a_smaller_file(path: object, *arguments: object, **keywords: object) -> os.stat_result:
        status = real_stat(path, *arguments, **keywords)  # type: ignore[arg-type]
        fields = list(status)
        fields[6] = 10  # st_size, as the file was when it was checked
        return os.stat_result(fields)

    monkeypatch.setattr(os, "stat", stat_of_a_smaller_file)
    assert refusal(own) == f"{flavors}: is larger than 1 MiB (1048576 bytes), the most a catalog file may hold"


# --- The corpus: a file's text, and the one line that refuses it ---------------------------------------------

#: A flavors.yaml that loads, to put one hostile thing into.
FLAVORS = "flavors:\n  - {name: m1.tiny, id: '1', vcpus: 1, ram: 512, disk: 1}\n"


def case(identifier: str, file: str, text: str, message: str) -> object:
    """One hostile catalog file: its name, its text, and the error line with ``{path}`` for the file's path."""
    return pytest.param(file, text, message, id=identifier)


CONTROL_CHARACTERS_IN_THE_FILE = [
    case(
        "nul-byte",
        "flavors.yaml",
        "flavors:\n  - {name: m1.ti\0ny, id: '1', vcpus: 1, ram: 512, disk: 1}\n",
        "{path}, line 2, column 17: holds a control character (U+0000); catalog text must be printable",
    ),
    case(
        "raw-escape-in-a-comment",
        "images.yaml",
        "# \x1b]0;PWNED\x07\nimages: []\n",
        "{path}, line 1, column 3: holds a control character (U+001B, escape); catalog text must be printable",
    ),
    case(
        "raw-delete",
        "cloud.yaml",
        "networks: []\nhosts:\n  - name: compute1\x7f\n",
        "{path}, line 3, column 19: holds a control character (U+007F); catalog text must be printable",
    ),
    case(
        "raw-c1-control-sequence-introducer",
        "flavors.yaml",
        "flavors:\n  - {name: m1.tiny\x9b2J, id: '1', vcpus: 1, ram: 512, disk: 1}\n",
        "{path}, line 2, column 19: holds a control character (U+009B); catalog text must be printable",
    ),
    case(
        "raw-next-line-that-yaml-allows",
        "flavors.yaml",
        "flavors:\n  - {name: m1.tiny\x85, id: '1', vcpus: 1, ram: 512, disk: 1}\n",
        "{path}, line 2, column 19: holds a control character (U+0085); catalog text must be printable",
    ),
    case(
        "raw-noncharacter",
        "flavors.yaml",
        "flavors:\n  - {name: \ufffe, id: '1', vcpus: 1, ram: 512, disk: 1}\n",
        "{path}, line 2, column 12: holds a noncharacter (U+FFFE), which YAML does not allow; "
        "catalog text must be printable",
    ),
]


def test_a_tab_and_windows_line_ends_in_a_file_are_fine(own: Path) -> None:
    (own / "flavors.yaml").write_bytes(b"# a\ttab in a comment\r\n" + FLAVORS.replace("\n", "\r\n").encode())
    result = CliRunner().invoke(cli, ["flavor-list", "--catalog", str(own)], catch_exceptions=False)
    assert result.exit_code == ExitCode.OK


@pytest.fixture(params=["libyaml", "pure-python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with libyaml's parser, then with PyYAML's own, which bootwalk uses where libyaml is missing."""
    import yaml

    if request.param == "pure-python":
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML was built without libyaml")
    return str(request.param)


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """An images.yaml of under 1 KB whose aliases, nine deep and nine wide, stand for 9**9 strings."""
    bomb = ["      a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels):
        bomb.append(f"      a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    image = (
        "images:\n  - name: bomb\n    id: b0\n    status: active\n    disk_format: qcow2\n"
        "    container_format: bare\n    size: 1\n    min_disk: 0\n    min_ram: 0\n    properties:\n"
    )
    return image + "\n".join(bomb) + "\n"


YAML_STRUCTURE = [
    case(
        "alias-bomb",
        "images.yaml",
        alias_bomb(),
        "{path}, line 11, column 11: anchors and aliases are refused in a catalog (found &a0); "
        "write each value out in full",
    ),
    case(
        "one-anchor-and-alias",
        "flavors.yaml",
        "flavors:\n  - &tiny {name: m1.tiny, id: '1', vcpus: 1, ram: 512, disk: 1}\n  - *tiny\n",
        "{path}, line 2, column 5: anchors and aliases are refused in a catalog (found &tiny); "
        "write each value out in full",
    ),
    case(
        "alias-to-nothing",
        "flavors.yaml",
        "flavors:\n  - *tiny\n",
        "{path}, line 2, column 5: anchors and aliases are refused in a catalog (found *tiny); "
        "write each value out in full",
    ),
    case(
        "merge-key",
        "flavors.yaml",
        "base: &base {vcpus: 1, ram: 512, disk: 1}\nflavors:\n  - {<<: *base, name: m1.tiny, id: '1'}\n",
        "{path}, line 1, column 7: anchors and aliases are refused in a catalog (found &base); "
        "write each value out in full",
    ),
    case(
        "nested-too-deep",
        "flavors.yaml",
        "flavors: " + "[" * 40 + "]" * 40 + "\n",
        "{path}, line 1, column 41: lists and mappings nest more than 32 deep here, deeper than a catalog needs",
    ),
    case(
        "duplicate-field-in-an-entry",
        "flavors.yaml",
        "flavors:\n  - {name: m1.tiny, id: '1', vcpus: 1, vcpus: 64, ram: 512, disk: 1}\n",
        "{path}, line 2, column 40: the key 'vcpus' is given twice in one mapping (first on line 2)",
    ),
    case(
        "duplicate-section",
        "flavors.yaml",
        FLAVORS + "flavors: []\n",
        "{path}, line 3, column 1: the key 'flavors' is given twice in one mapping (first on line 1)",
    ),
    case(
        "duplicate-extra-spec-in-block-style",
        "flavors.yaml",
        "flavors:\n  - name: m1.tiny\n    id: '1'\n    vcpus: 1\n    ram: 512\n    disk: 1\n    extra_specs:\n"
        "      hw:cpu_policy: dedicated\n      hw:cpu_policy: shared\n",
        "{path}, line 9, column 7: the key 'hw:cpu_policy' is given twice in one mapping (first on line 8)",
    ),
    case(
        "duplicate-number-key",
        "cloud.yaml",
        "networks: []\nhosts: []\nquotas: {1: a, 1: b}\n",
        "{path}, line 3, column 16: the key 1 is given twice in one mapping (first on line 3)",
    ),
]


# --- Plain scalars mean the same in YAML 1.1 and 1.2 ----------------------------------------------------------

#: Each plain scalar that YAML 1.1 (PyYAML) and YAML 1.2 read differently, and the advice that refuses it.
SURPRISES = {
    "010": "010 is the number 8 in YAML 1.1 but the number 10 in YAML 1.2; write 10, or quote it: '010'",
    "0o10": "0o10 is text in YAML 1.1 but the number 8 in YAML 1.2; write 8, or quote it: '0o10'",
    "1:30": "1:30 is the number 90 in YAML 1.1 but text in YAML 1.2; write 90, or quote it: '1:30'",
    "yes": "yes is true in YAML 1.1 but text in YAML 1.2; write true, or quote it: 'yes'",
    "no": "no is false in YAML 1.1 but text in YAML 1.2; write false, or quote it: 'no'",
    "on": "on is true in YAML 1.1 but text in YAML 1.2; write true, or quote it: 'on'",
    "off": "off is false in YAML 1.1 but text in YAML 1.2; write false, or quote it: 'off'",
    "0x1F": "0x1F is the number 31 in YAML 1.1 and 1.2 alike, but catalog numbers are plain decimals; "
    "write 31, or quote it: '0x1F'",
    "1_000": "1_000 is the number 1000 in YAML 1.1 but text in YAML 1.2; write 1000, or quote it: '1_000'",
    "1e3": "1e3 is text in YAML 1.1 but the number 1000.0 in YAML 1.2; write 1000.0, or quote it: '1e3'",
    "2024-01-01": "2024-01-01 is a date in YAML 1.1 but text in YAML 1.2; quote it: '2024-01-01'",
}

#: Where a plain scalar goes: an integer field, the two boolean fields, a text field. Each template has
#: ``{value}`` where the scalar goes, at the line and column given.
FIELDS = {
    "integer-vcpus": ("flavors.yaml", "flavors:\n  - {name: m1.tiny, id: '1', vcpus: {value}, ram: 512, disk: 1}\n", 2, 37),
    "text-name": ("flavors.yaml", "flavors:\n  - {name: {value}, id: '1', vcpus: 1, ram: 512, disk: 1}\n", 2, 12),
    "boolean-bootable": ("cloud.yaml", "networks: []\nhosts: []\nvolumes:\n  - {id: v1, name: v, size: 1, status: available, bootable: {value}}\n", 4, 61),
    "boolean-router-external": ("cloud.yaml", "networks:\n  - name: public\n    router:external: {value}\n", 3, 22),
}  # fmt: skip


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("value", SURPRISES)
def test_a_plain_scalar_yaml_1_1_and_1_2_read_differently_is_refused_with_how_to_write_it(
    own: Path, parser: str, field: str, value: str
) -> None:
    file, template, line, column = FIELDS[field]
    (own / file).write_text(template.replace("{value}", value), encoding="utf-8")
    assert refusal(own) == f"{own / file}, line {line}, column {column}: {SURPRISES[value]}"


def test_quoted_the_same_scalars_are_text(own: Path) -> None:
    names = ", ".join(f"'{value}'" for value in SURPRISES)
    rows = [
        f"  - {{name: '{value}', id: '{index}', vcpus: 1, ram: 512, disk: 1}}" for index, value in enumerate(SURPRISES)
    ]
    (own / "flavors.yaml").write_text("flavors:\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["flavor-list", "--catalog", str(own), "-f", "json"], catch_exceptions=False)
    assert result.exit_code == ExitCode.OK
    assert ", ".join(f"'{row['name']}'" for row in json.loads(result.stdout)) == names


def test_numbers_and_booleans_yaml_1_1_and_1_2_agree_on_still_load(own: Path) -> None:
    (own / "flavors.yaml").write_text(
        "flavors:\n  - {name: m1.tiny, id: 7, vcpus: +1, ram: 512, disk: 0, swap: 0, extra_specs: {a: 1.5, b: true}}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["flavor-list", "--catalog", str(own), "-f", "json"], catch_exceptions=False)
    assert result.exit_code == ExitCode.OK
    [flavor] = json.loads(result.stdout)
    assert (flavor["id"], flavor["vcpus"], flavor["extra_specs"]) == ("7", 1, {"a": "1.5", "b": "True"})


TAGS_AND_LONG_NUMBERS = [
    case(
        "int-tag",
        "flavors.yaml",
        "flavors:\n  - {name: m1.tiny, id: '1', vcpus: !!int 010, ram: 512, disk: 1}\n",
        "{path}, line 2, column 37: the tag !!int is refused in a catalog; write the value without it (quote text)",
    ),
    case(
        "bool-tag",
        "cloud.yaml",
        "networks:\n  - name: public\n    router:external: !!bool yes\n",
        "{path}, line 3, column 22: the tag !!bool is refused in a catalog; write the value without it (quote text)",
    ),
    case(
        "binary-tag",
        "images.yaml",
        "images:\n  - name: !!binary G1sySg==\n",
        "{path}, line 2, column 11: the tag !!binary is refused in a catalog; write the value without it (quote text)",
    ),
    case(
        "set-tag",
        "flavors.yaml",
        "flavors: !!set {a, b}\n",
        "{path}, line 1, column 10: the tag !!set is refused in a catalog; write the value without it (quote text)",
    ),
    case(
        "a-local-tag-no-constructor-knows",
        "flavors.yaml",
        "flavors: !shell ls\n",
        "{path}, line 1, column 10: not valid YAML: could not determine a constructor for the tag '!shell'",
    ),
    case(
        "a-number-longer-than-any-catalog-needs",
        "flavors.yaml",
        "flavors:\n  - {name: m1.tiny, id: '1', vcpus: " + "9" * 5000 + ", ram: 512, disk: 1}\n",
        "{path}, line 2, column 37: 9999999999999999999999999999999999999999… is a number of 5000 characters, "
        "longer than any catalog needs; quote it if it is text",
    ),
]


def test_the_str_tag_is_quoting(own: Path) -> None:
    (own / "flavors.yaml").write_text(
        "flavors:\n  - {name: !!str 010, id: '1', vcpus: 1, ram: 512, disk: 1}\n", encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["flavor-list", "--catalog", str(own), "-f", "json"], catch_exceptions=False)
    assert json.loads(result.stdout)[0]["name"] == "010"


# --- No control character in any catalog text -----------------------------------------------------------------

PRINTABLE = "catalog text must be printable"

CONTROL_CHARACTERS_IN_TEXT = [
    case(
        "terminal-escapes-in-a-flavor-name",
        "flavors.yaml",
        'flavors:\n  - {name: "m1.tiny\\e[31mRED\\e[0m\\e]0;PWNED\\a", id: "1", vcpus: 1, ram: 512, disk: 1}\n',
        "{path}: flavors[0] (m1.tiny\\x1b[31mRED\\x1b[0m\\x1b]0;PWNED\\x07), field 'name' (line 2): "
        f"holds a control character (U+001B, escape); {PRINTABLE}",
    ),
    case(
        "clear-screen-in-a-host-name",
        "cloud.yaml",
        'networks: []\nhosts:\n  - name: "compute1\\e[2J"\n    availability_zone: nova\n',
        f"{{path}}: hosts[0] (compute1\\x1b[2J), field 'name' (line 3): holds a control character (U+001B, escape); {PRINTABLE}",
    ),
    case(
        "a-long-name-is-cut-in-the-label",
        "flavors.yaml",
        'flavors:\n  - {name: "' + "m" * 50 + '\\e", id: "1", vcpus: 1, ram: 512, disk: 1}\n',
        "{path}: flavors[0] (" + "m" * 40 + "…), field 'name' (line 2): "
        f"holds a control character (U+001B, escape); {PRINTABLE}",
    ),
    case(
        "nul-escape",
        "flavors.yaml",
        'flavors:\n  - {name: m1.tiny, id: "1\\0", vcpus: 1, ram: 512, disk: 1}\n',
        f"{{path}}: flavors[0] (m1.tiny), field 'id' (line 2): holds a control character (U+0000); {PRINTABLE}",
    ),
    case(
        "tab-in-a-name",
        "flavors.yaml",
        'flavors:\n  - {name: "m1\\ttiny", id: "1", vcpus: 1, ram: 512, disk: 1}\n',
        f"{{path}}: flavors[0] (m1\\x09tiny), field 'name' (line 2): holds a control character (U+0009, a tab); {PRINTABLE}",
    ),
    case(
        "line-break-in-free-text",
        "cloud.yaml",
        "networks: []\nhosts:\n  - name: compute3\n    disabled_reason: |\n      maintenance\n",
        f"{{path}}: hosts[0] (compute3), field 'disabled_reason' (line 3): holds a control character (U+000A, a line break); {PRINTABLE}",
    ),
    case(
        "delete-escape",
        "images.yaml",
        'images:\n  - {name: cirros, id: "i1", disk_format: "qcow2\\x7f"}\n',
        f"{{path}}: images[0] (cirros), field 'disk_format' (line 2): holds a control character (U+007F); {PRINTABLE}",
    ),
    case(
        "c1-control-sequence-introducer-escape",
        "images.yaml",
        'images:\n  - {name: cirros, id: "i1", properties: {os_distro: "cirros\\x9b2J"}}\n',
        f"{{path}}: images[0] (cirros), field 'properties' (line 2): properties['os_distro'] holds a control character (U+009B); {PRINTABLE}",
    ),
    case(
        "a-key-of-extra-specs",
        "flavors.yaml",
        'flavors:\n  - {name: m1.tiny, id: "1", extra_specs: {"hw:rng\\a": "True"}}\n',
        f"{{path}}: flavors[0] (m1.tiny), field 'extra_specs' (line 2): the key 'hw:rng\\x07' in extra_specs holds a control character (U+0007); {PRINTABLE}",
    ),
    case(
        "a-field-name",
        "flavors.yaml",
        'flavors:\n  - {name: m1.tiny, "vcpus\\e[8m": 1}\n',
        f"{{path}}: flavors[0] (m1.tiny), field 'vcpus\\x1b[8m' (line 2): the field name holds a control character (U+001B, escape); {PRINTABLE}",
    ),
    case(
        "an-item-of-a-list",
        "cloud.yaml",
        'networks: []\nhosts:\n  - {name: compute1, traits: [HW_CPU_X86_AVX2, "STORAGE\\e[5m"]}\n',
        f"{{path}}: hosts[0] (compute1), field 'traits' (line 3): traits[1] holds a control character (U+001B, escape); {PRINTABLE}",
    ),
    case(
        "an-entry-listed-in-an-entry",
        "cloud.yaml",
        'networks:\n  - name: private\n    subnets:\n      - {name: "private\\e[2K", id: s1}\nhosts: []\n',
        f"{{path}}: networks[0].subnets[0] (private\\x1b[2K), field 'name' (line 4): holds a control character (U+001B, escape); {PRINTABLE}",
    ),
    case(
        "a-weigher-in-the-scheduler-section",
        "cloud.yaml",
        'networks: []\nhosts: []\nscheduler:\n  weighers: {"RAMWeigher\\e[1m": 1.0}\n',
        f"{{path}}: scheduler, field 'weighers' (line 4): the key 'RAMWeigher\\x1b[1m' in weighers holds a control character (U+001B, escape); {PRINTABLE}",
    ),
    case(
        "a-field-bootwalk-never-reads",
        "flavors.yaml",
        'flavors:\n  - {name: m1.tiny, description: "tiny\\u0085"}\n',
        f"{{path}}: flavors[0] (m1.tiny), field 'description' (line 2): holds a control character (U+0085); {PRINTABLE}",
    ),
    case(
        "a-top-level-key",
        "flavors.yaml",
        FLAVORS + '"notes\\e]0;x\\a": []\n',
        f"{{path}}: 'notes\\x1b]0;x\\x07:' (line 3): the key holds a control character (U+001B, escape); {PRINTABLE}",
    ),
    case(
        "a-name-in-a-list-of-names",
        "cloud.yaml",
        'networks: []\nhosts: []\nsecurity_groups: [default, "web\\e[0m"]\n',
        f"{{path}}: 'security_groups:' (line 3): security_groups[1] holds a control character (U+001B, escape); {PRINTABLE}",
    ),
]


def test_a_control_character_in_the_catalog_path_is_shown_escaped(tmp_path: Path) -> None:
    from bootwalk.catalog import CatalogError, load_catalog

    missing = tmp_path / "class\x1b[2J"
    # The command line refuses such a path before it is used ...
    result = CliRunner().invoke(cli, ["flavor-list", "--catalog", str(missing)], prog_name="bootwalk")
    assert result.exit_code == ExitCode.USAGE
    assert "holds a control character (U+001B); bootwalk takes printable text only" in result.stderr
    # ... and the loader, given one all the same, says so with the character shown.
    with pytest.raises(CatalogError) as refused:
        load_catalog(missing)
    assert str(refused.value) == (
        f"{tmp_path}/class\\x1b[2J: catalog directory not found; give --catalog (or BOOTWALK_CATALOG) a directory "
        "holding flavors.yaml, images.yaml, cloud.yaml"
    )


# --- Numbers are finite, and each in its range ----------------------------------------------------------------

HOST = "{name: h, availability_zone: nova, vcpus: 1, memory_mb: 1, disk_gb: 1}"

#: Where each section's numbers are written: (file, text with {entry}, the entry's other fields, label, line).
SECTIONS: dict[str, tuple[str, str, dict[str, str], str, int]] = {
    "flavors": ("flavors.yaml", "flavors:\n  - {entry}\n",
                {"name": "f", "id": "'1'", "vcpus": "1", "ram": "1", "disk": "0"}, "flavors[0] (f)", 2),
    "images": ("images.yaml", "images:\n  - {entry}\n",
               {"name": "i", "id": "i1", "status": "active", "disk_format": "qcow2", "container_format": "bare",
                "size": "0", "min_disk": "0", "min_ram": "0"}, "images[0] (i)", 2),
    "hosts": ("cloud.yaml", "networks: []\nhosts:\n  - {entry}\n",
              {"name": "h", "availability_zone": "nova", "vcpus": "1", "memory_mb": "1", "disk_gb": "1"},
              "hosts[0] (h)", 3),
    "volumes": ("cloud.yaml", f"networks: []\nhosts: [{HOST}]\nvolumes:\n  - {{entry}}\n",
                {"id": "v1", "name": "v", "size": "1", "status": "available"}, "volumes[0] (v)", 4),
    "scheduler": ("cloud.yaml", f"networks: []\nhosts: [{HOST}]\nscheduler: {{entry}}\n", {}, "scheduler", 3),
    "quotas": ("cloud.yaml", f"networks: []\nhosts: [{HOST}]\nquotas: {{entry}}\n", {}, "quotas", 3),
    "quotas.in_use": ("cloud.yaml", f"networks: []\nhosts: [{HOST}]\nquotas: {{in_use: {{entry}}}}\n", {},
                      "quotas.in_use", 3),
    # cloud.yaml's own top-level numbers: the whole document written as one mapping
    "cloud": ("cloud.yaml", "{entry}\n", {"networks": "[]", "hosts": f"[{HOST}]"}, "cloud", 1),
}  # fmt: skip


def write_number(directory: Path, section: str, field: str, value: str) -> str:
    """Write ``field: value`` into a catalog of the section; return where its error starts ({path}: label...)."""
    file, template, others, label, line = SECTIONS[section]
    fields = {**others, field: "{RAMWeigher: " + value + "}" if field == "weighers" else value}
    entry = "{" + ", ".join(f"{name}: {text}" for name, text in fields.items()) + "}"
    (directory / file).write_text(template.replace("{entry}", entry), encoding="utf-8")
    multiplier = "the multiplier of RAMWeigher " if field == "weighers" else ""
    return f"{directory / file}: {label}, field '{field}' (line {line}): {multiplier}"


def loads(directory: Path) -> bool:
    result = CliRunner().invoke(cli, ["flavor-list", "--catalog", str(directory)], catch_exceptions=False)
    assert result.exit_code in (ExitCode.OK, ExitCode.ERROR)
    return result.exit_code == ExitCode.OK


def plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


@pytest.mark.parametrize(("section", "field"), list(NUMBER_RANGES))
def test_each_number_loads_at_both_ends_of_its_range(own: Path, section: str, field: str) -> None:
    limits = NUMBER_RANGES[section, field]
    least = "0.001" if limits.least_excluded else plain(limits.least)
    for value in (least, plain(limits.most)):
        write_number(own, section, field, value)
        assert loads(own), (section, field, value)


@pytest.mark.parametrize(("section", "field"), list(NUMBER_RANGES))
def test_each_number_is_refused_one_past_either_end_of_its_range(own: Path, section: str, field: str) -> None:
    limits = NUMBER_RANGES[section, field]
    step = 1 if limits.whole else 0.5
    where = write_number(own, section, field, plain(limits.most + step))
    assert refusal(own) == f"{where}must be {plain(limits.most)} or less, got {plain(limits.most + step)}"
    if limits.least_excluded:
        where = write_number(own, section, field, plain(limits.least))
        assert refusal(own) == f"{where}must be more than {plain(limits.least)}, got {plain(limits.least)}"
    else:
        where = write_number(own, section, field, plain(limits.least - step))
        assert refusal(own) == f"{where}must be {plain(limits.least)} or more, got {plain(limits.least - step)}"


@pytest.mark.parametrize(("section", "field"), list(NUMBER_RANGES))
def test_each_number_refuses_infinity_nan_huge_numbers_and_booleans(own: Path, section: str, field: str) -> None:
    limits = NUMBER_RANGES[section, field]
    kind = "a whole number" if limits.whole else "a finite number"
    for value, shown in ((".nan", "nan"), (".inf", "inf"), ("-.inf", "-inf")):
        where = write_number(own, section, field, value)
        assert refusal(own) == f"{where}must be {kind}, got {shown}"
    where = write_number(own, section, field, "1" + "0" * 399)
    assert refusal(own) == f"{where}must be {plain(limits.most)} or less, got a number of 400 digits"
    where = write_number(own, section, field, "true")
    assert refusal(own) == f"{where}must be {'a whole number' if limits.whole else 'a number'}, got true (a boolean)"


NUMBERS = [
    case(
        "a-400-digit-memory-that-was-an-internal-error",
        "cloud.yaml",
        "networks: []\nhosts:\n  - {name: compute1, availability_zone: nova, vcpus: 8, memory_mb: 1"
        + "0" * 399
        + ", disk_gb: 200}\n",
        "{path}: hosts[0] (compute1), field 'memory_mb' (line 3): must be 2147483647 or less, got a number of 400 digits",
    ),
    case(
        "a-ratio-that-is-not-a-number",
        "cloud.yaml",
        "networks: []\nhosts:\n  - {name: compute1, availability_zone: nova, vcpus: 8, memory_mb: 16384, disk_gb: 200, "
        "cpu_allocation_ratio: .nan}\n",
        "{path}: hosts[0] (compute1), field 'cpu_allocation_ratio' (line 3): must be a finite number, got nan",
    ),
    case(
        "a-weigher-that-makes-every-weight-minus-infinity",
        "cloud.yaml",
        f"networks: []\nhosts: [{HOST}]\nscheduler:\n  weighers: {{RAMWeigher: -.inf}}\n",
        "{path}: scheduler, field 'weighers' (line 4): the multiplier of RAMWeigher must be a finite number, got -inf",
    ),
    case(
        "a-vcpu-too-many",
        "flavors.yaml",
        "flavors:\n  - {name: huge, id: h, vcpus: 4097, ram: 512, disk: 1}\n",
        "{path}: flavors[0] (huge), field 'vcpus' (line 2): must be 4096 or less, got 4097",
    ),
    case(
        "a-float-where-a-whole-number-belongs",
        "images.yaml",
        "images:\n  - {name: i, id: i1, status: active, disk_format: qcow2, container_format: bare, size: 1.5e+3, "
        "min_disk: 0, min_ram: 0}\n",
        "{path}: images[0] (i), field 'size' (line 2): must be a whole number, got 1500.0",
    ),
    case(
        "max-attempts-past-a-hundred",
        "cloud.yaml",
        f"networks: []\nhosts: [{HOST}]\nscheduler: {{max_attempts: 101}}\n",
        "{path}: scheduler, field 'max_attempts' (line 3): must be 100 or less, got 101",
    ),
    case(
        "an-ip-version-that-is-not-4-or-6",
        "cloud.yaml",
        "networks:\n  - name: n\n    id: n1\n    subnets:\n      - {name: s, id: s1, cidr: 10.0.0.0/24, gateway_ip: 10.0.0.1, "
        "ip_version: 5}\nhosts: []\n",
        "{path}: networks[0].subnets[0] (s), field 'ip_version' (line 5): must be 4 or 6, got 5",
    ),
]


# --- The whole corpus, read by libyaml's parser and by PyYAML's own -------------------------------------------

#: Every hostile file above, each with the one line that refuses it.
CORPUS = [
    *CONTROL_CHARACTERS_IN_THE_FILE,
    *YAML_STRUCTURE,
    *TAGS_AND_LONG_NUMBERS,
    *CONTROL_CHARACTERS_IN_TEXT,
    *NUMBERS,
]


@pytest.mark.parametrize(("file", "text", "message"), CORPUS)
def test_each_hostile_file_is_refused_in_one_line_that_says_where(
    own: Path, parser: str, file: str, text: str, message: str
) -> None:
    (own / file).write_text(text, encoding="utf-8")
    assert refusal(own) == message.format(path=own / file)


def test_the_readme_table_gives_every_range() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- number-ranges -->", 1)[1].split("<!-- /number-ranges -->", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| `([^`]+)` \| ([^|]+) \| ([^|]+) \|", table, flags=re.MULTILINE)
    documented = {(section, field): (described.strip(), unit.strip()) for section, field, described, unit in rows}
    assert documented == {key: (limits.describe(), limits.unit) for key, limits in NUMBER_RANGES.items()}


# --- Any mutation of a valid catalog: it loads, or one printable line says why --------------------------------


class Plain(str):
    """A scalar written as it is, unquoted: ``010``, ``yes``, ``.nan``, ``*alias``, ``!!int 3``."""


class Pairs:
    """A YAML mapping as a list of [key, value] pairs, so that a key can be given twice."""

    def __init__(self, pairs: list[list[object]]) -> None:
        self.pairs = pairs


def as_tree(value: object) -> object:
    """A loaded catalog as a tree the mutations can change: mappings as Pairs, lists as lists."""
    if isinstance(value, dict):
        return Pairs([[key, as_tree(item)] for key, item in value.items()])
    if isinstance(value, list):
        return [as_tree(item) for item in value]
    return value


def emit(value: object) -> str:
    """Write a tree as flow-style YAML; text is double-quoted, so control characters go in as escapes."""
    if isinstance(value, Plain):
        return str(value)
    if isinstance(value, Pairs):
        return "{" + ", ".join(f"{emit(key)}: {emit(item)}" for key, item in value.pairs) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(emit(item) for item in value) + "]"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, float):
        return {"nan": ".nan", "inf": ".inf", "-inf": "-.inf"}.get(repr(value), repr(value))
    if isinstance(value, int):
        return str(value)
    return '"' + "".join(escape(character) for character in str(value)) + '"'


def escape(character: str) -> str:
    """One character of a double-quoted YAML scalar: controls, line separators and BOM-like ones as escapes."""
    if character in '"\\':
        return "\\" + character
    code = ord(character)
    if code < 0x20 or 0x7F <= code <= 0xA0 or code in (0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF):
        return f"\\u{code:04x}"
    return character


def containers(tree: object) -> list[object]:
    """Every mapping and list in a tree, the tree first."""
    found = [tree] if isinstance(tree, (Pairs, list)) else []
    for item in tree.pairs if isinstance(tree, Pairs) else tree if isinstance(tree, list) else ():
        found += containers(item[1] if isinstance(tree, Pairs) else item)
    return found


HOSTILE_TEXT = st.sampled_from(
    [
        "\x1b[31mRED\x1b[0m",
        "\x1b]0;PWNED\x07",
        "compute1\x1b[2J",
        "\x00",
        "\x7f",
        "\x85",
        "\x9b2J",
        "a\nb",
        "\t",
        "\ufffe",
    ]
)
PLAIN_SURPRISES = st.sampled_from(
    ["010", "0o10", "1:30", "yes", "no", "on", "off", "0x1F", "1_000", "1e3", "2024-01-01", "<<", "=", ".nan", ".inf",
     "-.inf", "9" * 500, "9" * 1500, "*a", "&a x", "!!int 3", "!!binary AAAA", "!!python/name:os.system", "!x y", "~",
     "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", "{a: 1, a: 2}"]
).map(Plain)  # fmt: skip
SCALARS = st.one_of(
    st.text(max_size=12),
    HOSTILE_TEXT,
    PLAIN_SURPRISES,
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(),
    st.booleans(),
    st.none(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.lists(st.tuples(st.one_of(st.text(max_size=8), HOSTILE_TEXT), inner), max_size=3).map(
            lambda pairs: Pairs([list(pair) for pair in pairs])
        ),
    ),
    max_leaves=6,
)


def mutate(data: st.DataObject, tree: object) -> None:
    """Change one place in a tree: replace a value, delete a key, give a key twice, or replace a key."""
    container = data.draw(st.sampled_from(containers(tree)))
    items = container.pairs if isinstance(container, Pairs) else container
    assert isinstance(items, list)
    if not items:
        items.append(["new", data.draw(VALUES)] if isinstance(container, Pairs) else data.draw(VALUES))
        return
    index = data.draw(st.integers(min_value=0, max_value=len(items) - 1))
    action = data.draw(st.sampled_from(["replace", "delete", "duplicate", "rename"]))
    if action == "delete":
        del items[index]
    elif action == "duplicate":
        items.insert(index, list(items[index]) if isinstance(container, Pairs) else items[index])
    elif action == "rename" and isinstance(container, Pairs):
        items[index][0] = data.draw(st.one_of(SCALARS, HOSTILE_TEXT))
    elif isinstance(container, Pairs):
        items[index][1] = data.draw(VALUES)
    else:
        items[index] = data.draw(VALUES)


def assert_one_printable_line(message: str) -> None:
    assert "\n" not in message
    assert not re.search("[\x00-\x1f\x7f-\x9f]", message), repr(message)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_mutated_catalog_loads_or_is_refused_in_one_printable_line(data: st.DataObject) -> None:
    import yaml

    trees = {name: as_tree(yaml.safe_load((SHIPPED / name).read_text(encoding="utf-8"))) for name in CATALOG_FILES}
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        mutate(data, trees[data.draw(st.sampled_from(CATALOG_FILES))])
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary)
        for name, tree in trees.items():
            (directory / name).write_text(emit(tree) + "\n", encoding="utf-8")
        try:
            load_catalog(directory)
        except CatalogError as error:
            assert_one_printable_line(str(error))
        result = CliRunner().invoke(cli, ["flavor-list", "--catalog", str(directory)], prog_name="bootwalk")
    assert result.exit_code in (ExitCode.OK, ExitCode.ERROR), result.output
    if result.exit_code == ExitCode.OK:
        assert result.stderr == ""
    else:
        assert result.stderr.startswith("Error: ") and result.stderr.endswith("\n"), result.stderr
        assert_one_printable_line(result.stderr.removesuffix("\n"))
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
