"""The command line through CliRunner: exit codes, exact error lines, stdout vs stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from bootwalk import __version__
from bootwalk.cli import cli
from bootwalk.exit_codes import ExitCode
from tests.conftest import DEMO_ARGS, post_of

BOOT = ["boot", "--flavor", "m1.tiny", "--image", "cirros"]


def run(runner: CliRunner, arguments: list[str], **kwargs: object):  # type: ignore[no-untyped-def]
    return runner.invoke(cli, arguments, prog_name="bootwalk", **kwargs)  # type: ignore[arg-type]


def test_demo_walk_ends_active(runner: CliRunner) -> None:
    result = run(runner, [*DEMO_ARGS, "--show"], catch_exceptions=False)
    assert result.exit_code == ExitCode.OK
    assert result.stderr == ""
    assert result.stdout.count("State after: ") == 12
    assert "| status                               | ACTIVE" in result.stdout
    assert result.stdout.rstrip().endswith("Outcome: ACTIVE")


def test_json_prints_one_document_and_nothing_else(runner: CliRunner) -> None:
    result = run(runner, [*DEMO_ARGS, "-f", "json"], catch_exceptions=False)
    assert result.exit_code == ExitCode.OK
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert document["outcome"] == "ACTIVE"
    assert document["request"]["name"] == "demo-vm"


def test_seed_changes_ids_and_default_seed_repeats(runner: CliRunner) -> None:
    first = json.loads(run(runner, [*DEMO_ARGS, "-f", "json"]).stdout)
    again = json.loads(run(runner, [*DEMO_ARGS, "-f", "json"]).stdout)
    other = json.loads(run(runner, [*DEMO_ARGS, "-f", "json", "--seed", "7"]).stdout)
    assert first == again
    assert other["server"]["id"] != first["server"]["id"]
    assert other["seed"] == 7


NIC_ERROR = (
    "Invalid nic argument 'foo'. Nic arguments must be of the form --nic <auto,none,net-id=net-uuid,"
    "net-name=network-name,v4-fixed-ip=ip-addr,v6-fixed-ip=ip-addr,port-id=port-uuid,tag=tag>, with only one "
    "of net-id, net-name or port-id specified. Specifying a --nic of auto or none cannot be used with any other "
    "--nic value."
)
HINT = " (see 'bootwalk boot --help')"
#: Today's nova, with microversions: the flags that need one are checked against today's client.
MODERN = ["--flow", "modern"]


@pytest.mark.parametrize(
    ("arguments", "line"),
    [
        (["boot", "--image", "nope", "--flavor", "m1.tiny", "x"],
         "Error: Invalid value for '--image': No Image matching nope. (HTTP 404) (see 'bootwalk image-list')"),
        (["boot", "--image", "cirros", "--flavor", "m1.huge", "x"],
         "Error: Invalid value for '--flavor': No flavor with a name or ID of 'm1.huge' exists. "
         "(see 'bootwalk flavor-list')"),
        ([*BOOT, "--nic", "net-name=nope", "x"],
         "Error: Invalid value for '--nic': No Network matching nope. (HTTP 404) (see 'bootwalk net-list')"),
        ([*BOOT, "--nic", "net-id=private", "x"],
         "Error: Invalid value for '--nic': net-id 'private' is not a UUID, so nova-api would refuse it (HTTP 400). "
         "To give a network by name, use --nic net-name=private (see 'bootwalk net-list')"),
        ([*BOOT, *MODERN, "--nic", "foo", "x"], f"Error: Invalid value for '--nic': {NIC_ERROR}" + HINT),
        # Icehouse has no microversions: novaclient speaks 2.0, where --nic knew no auto, none or tag
        ([*BOOT, "--nic", "foo", "x"],
         "Error: Invalid value for '--nic': Invalid nic argument 'foo'. Nic arguments must be of the form --nic "
         "<net-id=net-uuid,net-name=network-name,v4-fixed-ip=ip-addr,v6-fixed-ip=ip-addr,port-id=port-uuid>, with "
         "only one of net-id, net-name or port-id specified." + HINT),
        ([*BOOT, "--tags", "a", "x"],
         "Error: --tags needs compute API version 2.52 or later, and an Icehouse cloud has no microversions "
         "(novaclient speaks 2.0 to it); leave --tags out, or walk --flow modern" + HINT),
        ([*BOOT, "--os-compute-api-version", "2.37", "x"],
         "Error: Invalid value for '--os-compute-api-version': Server doesn't support microversions: Icehouse "
         "(2014.1) has none, so novaclient speaks 2.0 to it; leave it out, or walk --flow modern" + HINT),
        ([*BOOT, "--min-count", "3", "--max-count", "2", "x"], "Error: min_count should be <= max_count" + HINT),
        ([*BOOT, "--min-count", "0", "x"], "Error: min_count should be >= 1" + HINT),
        ([*BOOT, "--max-count", "0", "x"], "Error: max_count should be >= 1" + HINT),
        (["boot", "--image", "cirros", "x"], "Error: you need to specify a Flavor ID." + HINT),
        (["boot", "--flavor", "m1.tiny", "x"],
         "Error: you need to specify at least one source ID (Image, Snapshot, or Volume), a block device mapping "
         "or provide a set of properties to match against an image" + HINT),
        ([*BOOT, "--boot-volume", "v", "x"],
         "Error: you need to specify at least one source ID (Image, Snapshot, or Volume), a block device mapping "
         "or provide a set of properties to match against an image" + HINT),
        ([*BOOT, "--block-device-mapping", "vdb=v1", "--swap", "512", "x"],
         "Error: you can't mix old block devices (--block-device-mapping) with the new ones (--block-device, "
         "--boot-volume, --snapshot, --ephemeral, --swap)" + HINT),
        ([*BOOT, "--config-drive", "maybe", "x"],
         "Error: The value of the '--config-drive' option must be a boolean value." + HINT),
        ([*BOOT, *MODERN, "--file", "/a=/b", "x"],
         "Error: --file needs compute API version 2.0 to 2.56, and this walk uses 2.96; set "
         "--os-compute-api-version" + HINT),
        ([*BOOT, *MODERN, "--tags", "a", "--os-compute-api-version", "2.40", "x"],
         "Error: --tags needs compute API version 2.52 or later, and this walk uses 2.40; set "
         "--os-compute-api-version" + HINT),
        ([*BOOT, *MODERN, "--nic", "auto", "--os-compute-api-version", "2.36", "x"],
         "Error: Invalid value for '--nic': Invalid nic argument 'auto'. Nic arguments must be of the form --nic "
         "<net-id=net-uuid,net-name=network-name,v4-fixed-ip=ip-addr,v6-fixed-ip=ip-addr,port-id=port-uuid,"
         "tag=tag>, with only one of net-id, net-name or port-id specified." + HINT),
        ([*BOOT, "--meta", "novalue", "x"],
         "Error: Invalid value for '--meta': Invalid --meta argument 'novalue'. It must be of the form <key=value>" + HINT),
        ([*BOOT, "--user-data", "/no/such/file", "x"],
         "Error: Invalid value for '--user-data': Can't open '/no/such/file': [Errno 2] No such file or "
         "directory: '/no/such/file'" + HINT),
        ([*BOOT], "Error: Missing argument '<name>'." + HINT),
        ([*BOOT, "--catalog", "", "x"],
         "Error: Invalid value for '--catalog': is empty; give a directory, or leave --catalog out for the "
         "catalogs shipped with bootwalk" + HINT),
        (["bogus"], "Error: No such command 'bogus'. (see 'bootwalk --help')"),
    ],
)  # fmt: skip
def test_usage_errors_are_one_line_and_exit_2(runner: CliRunner, arguments: list[str], line: str) -> None:
    result = run(runner, arguments)
    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert result.stderr == line + "\n"


@pytest.mark.parametrize(
    ("arguments", "line"),
    [
        (["--image", "fedora-upload"], "ERROR (BadRequest): Image 7e3b1c9d-2f4a-4c6e-8b0d-1a3c5e7f9b2d is not active. (HTTP 400)"),
        (["--image", "ubuntu-24.04"], "ERROR (BadRequest): Flavor's memory is too small for requested image. (HTTP 400)"),
        (["--image", "centos-stream-9"],  # Icehouse's FlavorDiskTooSmall gave no sizes
         "ERROR (BadRequest): Flavor's disk is too small for requested image. (HTTP 400)"),
        (["--image", "cirros", "--key-name", "nokey"], "ERROR (BadRequest): Invalid key_name provided. (HTTP 400)"),
        (["--image", "cirros", "--security-groups", "default,nope"], "ERROR (BadRequest): Unable to find security_group with name 'nope' (HTTP 400)"),
        (["--image", "cirros", "--availability-zone", "az9"],
         "ERROR (BadRequest): The requested availability zone is not available (HTTP 400)"),
        (["--image", "cirros", "--nic", "net-id=00000000-0000-4000-8000-000000000000"],
         "ERROR (BadRequest): Network 00000000-0000-4000-8000-000000000000 could not be found. (HTTP 400)"),
        (["--image", "cirros", "--min-count", "11"],  # Icehouse answered 413 (HTTPRequestEntityTooLarge)
         "ERROR (OverLimit): Quota exceeded for instances: Requested 11, but already used 0 of 10 instances (HTTP 413)"),
    ],
)  # fmt: skip
def test_nova_api_refusals_exit_1_with_novas_line(runner: CliRunner, arguments: list[str], line: str) -> None:
    result = run(runner, ["boot", "--flavor", "m1.tiny", *arguments, "x"])
    assert result.exit_code == ExitCode.ERROR
    assert result.stderr == line + "\n"
    assert "Step 3/12  nova-api · failed" in result.stdout
    assert "Step 4/12" not in result.stdout


def test_unknown_option_is_one_line_exit_2(runner: CliRunner) -> None:
    result = run(runner, [*BOOT, "--zzzz", "x"])
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith("Error: No such option")
    assert "--zzzz" in result.stderr
    assert result.stderr.endswith(HINT + "\n")
    assert result.stderr.count("\n") == 1


def test_no_valid_host_exits_1_after_showing_the_fault(runner: CliRunner, tmp_path: Path) -> None:
    from tests.test_catalog import SHIPPED

    for name in ("flavors.yaml", "images.yaml"):
        (tmp_path / name).write_bytes((SHIPPED / name).read_bytes())
    cloud = (SHIPPED / "cloud.yaml").read_text(encoding="utf-8").replace("state: up", "state: down")
    (tmp_path / "cloud.yaml").write_text(cloud, encoding="utf-8")
    result = run(runner, [*DEMO_ARGS, "--catalog", str(tmp_path), "--show"], env={"COLUMNS": "200"})
    assert result.exit_code == ExitCode.ERROR
    assert result.stderr == (  # Icehouse's NoValidHost had no reason: the text ends in a space
        "demo-vm went to ERROR: No valid host was found.  (nova boot had answered 202; the fault shows in nova show)\n"
    )
    assert "| status " in result.stdout and "| ERROR " in result.stdout
    assert "No valid host was found." in result.stdout
    modern = run(runner, [*DEMO_ARGS[:-1], "--flow", "modern", "--catalog", str(tmp_path), "demo-vm"])
    assert modern.stderr == (
        "demo-vm went to ERROR: No valid host was found. There are not enough hosts available. "
        "(nova boot had answered 202; the fault shows in nova show)\n"
    )


def test_poll_prints_novaclients_progress_lines(runner: CliRunner) -> None:
    result = run(runner, [*DEMO_ARGS, "--poll"], catch_exceptions=False)
    assert result.exit_code == ExitCode.OK
    assert "\nServer building... 100% complete\nFinished\n" in result.stdout


def test_poll_on_a_failed_build_ends_like_novaclient(runner: CliRunner) -> None:
    arguments = [
        "boot",
        "--image",
        "cirros",
        "--flavor",
        "m1.tiny",
        "--nic",
        "net-name=private,v4-fixed-ip=192.168.9.9",
    ]
    result = run(runner, [*arguments, "--poll", "demo-vm"])
    assert result.exit_code == ExitCode.ERROR
    assert "\nServer building... 0% complete\nError building server\n" in result.stdout
    assert result.stderr == "ERROR (ResourceInErrorState): <Server: demo-vm>\n"


def test_bad_catalog_is_one_line_and_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, [*DEMO_ARGS, "--catalog", str(tmp_path)])
    assert result.exit_code == ExitCode.ERROR
    assert result.stdout == ""
    assert (
        result.stderr
        == f"Error: {tmp_path / 'flavors.yaml'}: catalog file not found; a catalog directory must hold flavors.yaml, images.yaml, cloud.yaml\n"
    )


def test_catalog_from_the_environment(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, ["flavor-list"], env={"BOOTWALK_CATALOG": str(tmp_path / "none")})
    assert result.exit_code == ExitCode.ERROR
    assert result.stderr.startswith(f"Error: {tmp_path / 'none'}: catalog directory not found")


def test_file_works_at_256(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "motd"
    source.write_text("hello\n", encoding="utf-8")
    result = run(
        runner,
        [*DEMO_ARGS, *MODERN, "-f", "json", "--os-compute-api-version", "2.56", "--file", f"/etc/motd={source}"],
    )
    assert result.exit_code == ExitCode.OK, result.stderr
    body = post_of(json.loads(result.stdout)["steps"][2]["handoffs"])["payload"]["body"]
    assert body["server"]["personality"] == [{"path": "/etc/motd", "contents": "<6 bytes, base64>"}]


def test_key_name_defaults_from_novaclients_variable(runner: CliRunner) -> None:
    result = run(runner, [*DEMO_ARGS, "-f", "json"], env={"NOVACLIENT_DEFAULT_KEY_NAME": "mykey"})
    assert json.loads(result.stdout)["request"]["key_name"] == "mykey"


@pytest.mark.parametrize(
    ("command", "first_column", "entry"),
    [
        ("flavor-list", "ID", "m1.tiny"),
        ("image-list", "ID", "cirros"),
        ("net-list", "ID", "private"),
        ("host-list", "Host", "compute1"),
    ],
)
def test_list_commands_table(runner: CliRunner, command: str, first_column: str, entry: str) -> None:
    result = run(runner, [command], catch_exceptions=False)
    assert result.exit_code == ExitCode.OK
    assert f"| {first_column} " in result.stdout
    assert entry in result.stdout


def test_list_commands_json_use_catalog_field_names(runner: CliRunner) -> None:
    flavors = json.loads(run(runner, ["flavor-list", "-f", "json"]).stdout)
    assert flavors[0] == {"name": "m1.tiny", "id": "1", "vcpus": 1, "ram": 512, "disk": 1, "ephemeral": 0, "swap": 0,
                          "extra_specs": {"hw_rng:allowed": "True"}}  # fmt: skip
    images = json.loads(run(runner, ["image-list", "-f", "json"]).stdout)
    assert set(images[0]) == {
        "name",
        "id",
        "status",
        "disk_format",
        "container_format",
        "size",
        "min_disk",
        "min_ram",
        "visibility",
        "properties",
    }
    networks = json.loads(run(runner, ["net-list", "-f", "json"]).stdout)
    assert networks[1]["router:external"] is True
    assert networks[0]["subnets"][0]["cidr"] == "10.0.0.0/22"
    hosts = json.loads(run(runner, ["host-list", "-f", "json"]).stdout)
    assert hosts[2]["disabled_reason"] == "maintenance"


def test_version(runner: CliRunner) -> None:
    result = run(runner, ["--version"])
    assert (result.exit_code, result.stdout) == (0, f"bootwalk {__version__}\n")


def _commands() -> list[tuple[str, click.Command]]:
    """Every command, the lazy ones too, and the server group's subcommands."""
    assert isinstance(cli, click.Group)
    context = click.Context(cli)
    found: list[tuple[str, click.Command]] = [("bootwalk", cli)]
    for name in cli.list_commands(context):
        command = cli.get_command(context, name)
        assert command is not None
        found.append((f"bootwalk {name}", command))
        if isinstance(command, click.Group):
            found += [(f"bootwalk {name} {sub}", command.commands[sub]) for sub in command.commands]
    return found


@pytest.mark.parametrize(("path", "command"), _commands())
def test_every_command_and_option_has_help(runner: CliRunner, path: str, command: click.Command) -> None:
    assert command.help, f"{path} has no help"
    for parameter in command.params:
        if isinstance(parameter, click.Option):
            assert parameter.help, f"{path} {parameter.opts} has no help"
    arguments = [*path.split()[1:], "--help"]
    result = run(runner, arguments)
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: {path}")


def test_boot_accepts_every_nova_boot_option() -> None:
    from bootwalk.cli.boot import boot

    options = {opt for parameter in boot.params for opt in parameter.opts}
    nova_boot = {
        "--flavor", "--image", "--image-with", "--boot-volume", "--snapshot", "--min-count", "--max-count",
        "--meta", "--file", "--key-name", "--user-data", "--availability-zone", "--security-groups",
        "--block-device-mapping", "--block-device", "--swap", "--ephemeral", "--hint", "--nic",
        "--config-drive", "--poll", "--admin-pass", "--access-ip-v4", "--access-ip-v6", "--description",
        "--tags", "--return-reservation-id", "--trusted-image-certificate-id", "--host",
        "--hypervisor-hostname", "--hostname",
    }  # fmt: skip
    assert nova_boot <= options


def test_interrupt_exits_130_with_one_line(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("bootwalk.engine.walk", interrupted)
    result = run(runner, DEMO_ARGS)
    assert result.exit_code == ExitCode.INTERRUPTED
    assert result.stderr == "Interrupted.\n"


def test_a_bug_is_one_line_not_a_traceback(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("bootwalk.engine.walk", broken)
    result = run(runner, DEMO_ARGS)
    assert result.exit_code == ExitCode.ERROR
    assert result.stderr == (
        "bootwalk: internal error (RuntimeError: boom); this is a bug, please report it with the command you ran "
        "(BOOTWALK_DEBUG=1 shows the traceback)\n"
    )


def _python(code: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *arguments, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bootwalk", "--version"], capture_output=True, text=True, check=False, timeout=60
    )
    assert (result.returncode, result.stdout) == (0, f"bootwalk {__version__}\n")


@pytest.mark.parametrize("arguments", [["--help"], ["--version"], ["boot", "--help"]])
def test_help_and_version_import_neither_rich_nor_yaml(arguments: list[str]) -> None:
    code = (
        "import sys\n"
        "from bootwalk.cli import main\n"
        "try:\n"
        f"    main({arguments!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print([m for m in ('rich', 'yaml', 'bootwalk.engine') if m in sys.modules], file=sys.stderr)\n"
    )
    result = _python(code)
    assert result.stderr.strip() == "[]"


@pytest.mark.parametrize("arguments", [["--help"], ["--version"], DEMO_ARGS, ["server", "--help"]])
def test_click_s_own_words_are_not_looked_up_in_gettext(arguments: list[str]) -> None:
    """ "Usage:", "Options" and the help options' help are given in English: no locale import, no catalog search."""
    code = (
        "import sys\n"
        "from bootwalk.cli import main\n"
        "try:\n"
        f"    main({arguments!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('locale' in sys.modules, file=sys.stderr)\n"
    )
    result = _python(code)
    assert result.stderr.strip() == "False"


def test_help_says_usage_options_and_commands_in_click_s_words() -> None:
    result = CliRunner().invoke(cli, ["server", "--help"], prog_name="bootwalk")
    assert result.exit_code == 0
    assert result.output.startswith("Usage: bootwalk server [OPTIONS] COMMAND [ARGS]...\n")
    assert "\nOptions:\n  -h, --help  Show this message and exit.\n\nCommands:\n  create " in result.output
    assert CliRunner().invoke(cli, ["--version", "boot"]).output == f"bootwalk {__version__}\n"  # eager, first


def test_table_output_to_a_pipe_has_no_ansi() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bootwalk", *DEMO_ARGS], capture_output=True, text=True, check=False, timeout=60,
        env={"PATH": "/usr/bin:/bin", "FORCE_COLOR": "", "TERM": "xterm-256color"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "\x1b[" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


SCENARIO_EXITS = [
    ("bad-credentials", [], ExitCode.ERROR,
     "ERROR (Unauthorized): The request you have made requires authentication. (HTTP 401)\n"),
    ("over-quota", [], ExitCode.ERROR,
     "ERROR (OverLimit): Quota exceeded for instances: Requested 1, but already used 10 of 10 instances (HTTP 413)\n"),
    ("compute-down", [], ExitCode.ERROR,
     "demo-vm went to ERROR: No valid host was found.  (nova boot had answered 202; the fault shows in nova show)\n"),
    ("port-binding-failed", [], ExitCode.OK, ""),
    ("spawn-failed", [], ExitCode.OK, ""),
]  # fmt: skip


@pytest.mark.parametrize(("scenario", "extra", "code", "stderr"), SCENARIO_EXITS)
def test_each_scenario_exits_as_documented(
    runner: CliRunner, scenario: str, extra: list[str], code: int, stderr: str
) -> None:
    result = run(runner, [*DEMO_ARGS, "--scenario", scenario, *extra], env={"COLUMNS": "100"})
    assert (result.exit_code, result.stderr) == (code, stderr)
    assert "Where the user sees it: " in result.stdout
    assert result.stdout.rstrip().endswith("Outcome: ACTIVE" if code == ExitCode.OK else "Outcome: ERROR")


def test_rescheduled_walk_shows_the_second_attempt_and_the_attempts_table(runner: CliRunner) -> None:
    result = run(
        runner,
        [*DEMO_ARGS, "--scenario", "spawn-failed", "--level", "developer"],
        env={"COLUMNS": "100"},
        catch_exceptions=False,
    )
    assert "Step 12/12  hypervisor · rescheduled" in result.stdout
    assert "Step 4/12  nova-scheduler · ok · attempt 2" in result.stdout
    assert "✗ RetryFilter: already tried for this boot" in result.stdout
    assert "| 1 | compute1 | rescheduled |" in result.stdout
    assert "| 2 | compute4 | active      |" in result.stdout
    assert "nova-compute ERROR Instance failed to spawn" in result.stdout


def test_max_attempts_1_ends_in_error_with_the_binding_failure(runner: CliRunner) -> None:
    result = run(runner, [*DEMO_ARGS, "--scenario", "port-binding-failed", "--max-attempts", "1"])
    assert result.exit_code == ExitCode.ERROR
    assert result.stderr.startswith("demo-vm went to ERROR: Unexpected vif_type=binding_failed ")
    modern = run(runner, [*DEMO_ARGS[:-1], "--flow", "modern", "--scenario", "port-binding-failed", "--max-attempts",
                          "1", "demo-vm"])  # fmt: skip
    assert modern.stderr.startswith("demo-vm went to ERROR: Binding failed for port ")


def test_volume_scenario_without_a_volume_is_a_usage_error(runner: CliRunner) -> None:
    result = run(runner, [*DEMO_ARGS, "--scenario", "volume-attach-failed"])
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == (
        "Error: --scenario volume-attach-failed needs a volume to attach: add --boot-volume <volume_id>, "
        "--snapshot <snapshot_id> or a --block-device with dest=volume (see 'bootwalk boot --help')\n"
    )


def test_volume_attach_failed_exits_1_with_the_build_abort(runner: CliRunner) -> None:
    arguments = ["boot", "--flavor", "m1.tiny", "--boot-volume", "8a1c3e5f-7b9d-4f1a-b3c5-e7f9a1b3c5d7", "demo-vm"]
    result = run(runner, [*arguments, "--scenario", "volume-attach-failed"])
    assert result.exit_code == ExitCode.ERROR
    assert "went to ERROR: Block Device Mapping is Invalid. (nova boot had answered 202" in result.stderr


def test_unknown_scenario_and_filter_are_usage_errors(runner: CliRunner) -> None:
    result = run(runner, [*DEMO_ARGS, "--scenario", "meteor"])
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith("Error: Invalid value for '--scenario': 'meteor' is not one of 'bad-credentials'")
    result = run(runner, [*DEMO_ARGS, "--enabled-filters", "RamFilter,CoreFliter"])
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith(
        "Error: Invalid value for '--enabled-filters': unknown filter 'CoreFliter'; known filters: RetryFilter,"
    )
    result = run(runner, [*DEMO_ARGS, "--max-attempts", "0"])
    assert result.exit_code == ExitCode.USAGE


def test_enabled_filters_replace_the_catalogs_list(runner: CliRunner) -> None:
    result = run(runner, [*DEMO_ARGS, "--enabled-filters", "CoreFilter,DiskFilter", "-f", "json"])
    document = json.loads(result.stdout)
    schedule = document["steps"][3]
    assert schedule["enabled_filters"] == ["CoreFilter", "DiskFilter"]
    assert {v["filter"] for v in schedule["filter_results"]} == {"CoreFilter", "DiskFilter"}
    assert schedule["selected_host"] == "compute3"  # disabled, but ComputeFilter is not enabled


def test_enabled_filters_are_honoured_even_when_they_are_the_classic_default(runner: CliRunner) -> None:
    from bootwalk.model import CLASSIC_FILTERS

    result = run(runner, [*DEMO_ARGS, "--enabled-filters", ",".join(CLASSIC_FILTERS), "-f", "json"])
    assert result.exit_code == 0
    schedule = json.loads(result.stdout)["steps"][3]
    assert schedule["enabled_filters"] == list(CLASSIC_FILTERS)
    assert {v["filter"] for v in schedule["filter_results"]} >= {"RetryFilter", "RamFilter"}


def test_enabled_filters_are_honoured_in_the_modern_flow(runner: CliRunner) -> None:
    chosen = ["SameHostFilter", "ComputeFilter"]  # both still in nova master; neither list is the default
    result = run(
        runner, [*DEMO_ARGS[:-1], "--flow", "modern", "--enabled-filters", ",".join(chosen), "-f", "json", "x"]
    )
    assert result.exit_code == 0
    schedule = json.loads(result.stdout)["steps"][3]
    assert schedule["enabled_filters"] == ["placement", *chosen]


def test_scenarios_command_table_and_json(runner: CliRunner) -> None:
    from bootwalk.scenarios import SCENARIOS

    SCENARIO_NAMES = tuple(SCENARIOS)
    table = run(runner, ["scenarios"], env={"COLUMNS": "100"})
    assert table.exit_code == 0
    assert all(name in table.stdout for name in SCENARIO_NAMES)
    listed = json.loads(run(runner, ["scenarios", "-f", "json"]).stdout)
    assert [entry["name"] for entry in listed] == list(SCENARIO_NAMES)
    assert listed[4] == {"name": "volume-attach-failed", "lesson": SCENARIOS["volume-attach-failed"].lesson,
                         "needs_volume": True}  # fmt: skip


def test_json_trace_carries_attempts_fault_and_outcome(runner: CliRunner) -> None:
    result = run(runner, [*DEMO_ARGS, "--scenario", "port-binding-failed", "--max-attempts", "1", "-f", "json"])
    document = json.loads(result.stdout)
    assert document["outcome"] == "ERROR"
    assert document["scenario"]["name"] == "port-binding-failed"
    assert [(a["attempt"], a["host"], a["result"]) for a in document["attempts"]] == [(1, "compute1", "error")]
    assert document["server"]["fault"]["code"] == 500
    assert document["server"]["fault"]["message"] == "Unexpected vif_type=binding_failed"
    assert document["steps"][-1]["cleanup"][-1].startswith("claim on compute1 released")
    assert result.stderr.startswith("demo-vm went to ERROR")


def test_max_count_lists_every_server(runner: CliRunner) -> None:
    result = run(runner, [*DEMO_ARGS, "--max-count", "2", "--flavor", "m1.large"], env={"COLUMNS": "100"})
    assert result.exit_code == ExitCode.OK
    assert "nova list" in result.stdout
    # Icehouse named them with multi_instance_display_name_template '%(name)s-%(uuid)s'
    assert "| demo-vm-73f01e95-762e-4ec8-bfe0-7faf300f3df8 | ACTIVE | compute1 |" in result.stdout
    assert "| demo-vm-d0d1e06e-7cbc-4351-8263-4488e9ea27ca | ACTIVE | compute4 |" in result.stdout


def test_walk_formats_match_the_renderers() -> None:
    from bootwalk.cli.options import WALK_FORMATS
    from bootwalk.render import OutputFormat

    assert tuple(member.value for member in OutputFormat) == WALK_FORMATS


def test_steps_golden_at_80_columns(runner: CliRunner, golden) -> None:  # type: ignore[no-untyped-def]
    result = run(runner, ["steps"], env={"COLUMNS": "80"}, catch_exceptions=False)
    assert result.exit_code == 0
    golden("steps-80.txt", "\n".join(line.rstrip() for line in result.stdout.splitlines()) + "\n")


def test_steps_json_follows_the_pipeline(runner: CliRunner) -> None:
    from bootwalk.flows.classic import CLASSIC_PIPELINE

    listed = json.loads(run(runner, ["steps", "-f", "json"]).stdout)
    assert [(row["number"], row["name"], row["service"]) for row in listed] == [
        (number, step.name, step.service.value) for number, step in enumerate(CLASSIC_PIPELINE, start=1)
    ]


def test_quiet_prints_only_the_server_table_and_the_outcome(runner: CliRunner) -> None:
    result = run(runner, [*DEMO_ARGS, "-q"], env={"COLUMNS": "80"}, catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout.startswith("nova show demo-vm")
    assert "Step " not in result.stdout
    assert result.stdout.rstrip().endswith("Outcome: ACTIVE")


def test_verbose_shows_payloads_with_tokens_cut_to_a_prefix(runner: CliRunner) -> None:
    document = json.loads(run(runner, [*DEMO_ARGS, "-f", "json"]).stdout)
    token = document["steps"][1]["handoffs"][0]["payload"]["headers"]["X-Subject-Token"]
    result = run(runner, [*DEMO_ARGS, "-v"], env={"COLUMNS": "100"}, catch_exceptions=False)
    assert result.stdout.count("Payloads:") == 12  # every step has a handoff; skipped cinder still saves
    assert f'"X-Subject-Token": "{token[:12]}…"' in result.stdout
    assert f'"X-Auth-Token": "{token[:12]}…"' in result.stdout
    assert token not in result.stdout
    assert '"method": "build_instances"' in result.stdout
    assert "\x1b[" not in result.stdout


def test_the_show_table_breaks_a_uuid_only_after_a_hyphen_at_80_columns(runner: CliRunner) -> None:
    result = run(runner, [*DEMO_ARGS, "-q"], env={"COLUMNS": "80"}, catch_exceptions=False)
    lines = result.stdout.splitlines()
    image = next(number for number, line in enumerate(lines) if line.startswith("| image "))
    assert lines[image].rstrip(" |").endswith("cirros (9f4cbb8e-3c5b-4b8a-9d57-")
    assert lines[image + 1].split("|")[2].strip() == "1b6f0c2d8a11)"  # no lone ")" on a line of its own
    assert max(len(line) for line in lines) <= 80


@pytest.mark.parametrize("level", ["beginner", "operator", "developer"])
def test_verbose_and_quiet_keep_their_meaning_at_every_level(runner: CliRunner, level: str) -> None:
    quiet = run(runner, [*DEMO_ARGS, "-q", "--level", level], env={"COLUMNS": "80"}, catch_exceptions=False)
    default_quiet = run(runner, [*DEMO_ARGS, "-q"], env={"COLUMNS": "80"}, catch_exceptions=False)
    assert (quiet.exit_code, quiet.stdout) == (0, default_quiet.stdout)  # the server table and the outcome alone
    verbose = run(runner, [*DEMO_ARGS, "-v", "--level", level], env={"COLUMNS": "100"}, catch_exceptions=False)
    assert verbose.stdout.count("Payloads:") == 12  # every step with a handoff, at every level
    assert "nova show demo-vm" in verbose.stdout


def test_verbose_and_quiet_together_is_a_usage_error(runner: CliRunner) -> None:
    result = run(runner, [*DEMO_ARGS, "-v", "-q"])
    assert (result.exit_code, result.stderr) == (
        ExitCode.USAGE,
        "Error: -v/--verbose and -q/--quiet cannot be used together (see 'bootwalk boot --help')\n",
    )


def test_redact_cuts_token_headers_at_any_depth() -> None:
    from bootwalk.render.payloads import redact

    payload = {"headers": {"x-auth-token": "a" * 40, "Accept": "b" * 40}, "list": [{"X-Subject-Token": "c" * 40}]}
    assert redact(payload) == {
        "headers": {"x-auth-token": "a" * 12 + "…", "Accept": "b" * 40},
        "list": [{"X-Subject-Token": "c" * 12 + "…"}],
    }


@pytest.mark.parametrize("step", ["4", "cinder"])
def test_explain_golden_at_80_columns(runner: CliRunner, golden, step: str) -> None:  # type: ignore[no-untyped-def]
    result = run(runner, ["explain", step], env={"COLUMNS": "80"}, catch_exceptions=False)
    assert result.exit_code == 0
    golden(f"explain-{step}-80.txt", "\n".join(line.rstrip() for line in result.stdout.splitlines()) + "\n")


def test_explain_takes_a_number_or_a_name(runner: CliRunner) -> None:
    by_number = run(runner, ["explain", "10"], env={"COLUMNS": "80"})
    by_name = run(runner, ["explain", "neutron"], env={"COLUMNS": "80"})
    assert by_number.stdout == by_name.stdout
    assert "Step 10/12" in by_number.stdout and "--scenario port-binding-failed" in by_number.stdout


@pytest.mark.parametrize("step", ["0", "13"])
def test_explain_unknown_step_is_a_usage_error(runner: CliRunner, step: str) -> None:
    result = run(runner, ["explain", step])
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith(
        f"Error: Invalid value for 'N|NAME|TERM': no step '{step}': give a number from 1 to 12"
    )


@pytest.mark.parametrize(
    ("step", "line"),
    [
        ("nope", "no step or term 'nope': give a number from 1 to 12, a step's name or a term"),
        ("Schedule", "no step or term 'Schedule'; did you mean: schedule, scheduler?"),
    ],
)
def test_explain_unknown_name_is_a_usage_error_with_the_closest_names(runner: CliRunner, step: str, line: str) -> None:
    result = run(runner, ["explain", step])
    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
    assert result.stderr == f"Error: Invalid value for 'N|NAME|TERM': {line} (see 'bootwalk glossary')\n"


def test_every_step_has_troubles_and_their_scenarios_exist() -> None:
    from bootwalk.flows.classic import CLASSIC_PIPELINE
    from bootwalk.flows.modern import MODERN_PIPELINE
    from bootwalk.scenarios import SCENARIOS
    from bootwalk.troubleshooting import TROUBLES

    names = [step.name for step in (*CLASSIC_PIPELINE, *MODERN_PIPELINE)]
    assert set(TROUBLES) == set(names)
    for troubles in TROUBLES.values():
        assert troubles
        for trouble in troubles:
            assert trouble.scenario is None or trouble.scenario in SCENARIOS
    shown = {trouble.scenario for troubles in TROUBLES.values() for trouble in troubles}
    assert set(SCENARIOS) <= shown


def test_steps_of_the_modern_flow_have_their_own_numbering(runner: CliRunner, golden) -> None:  # type: ignore[no-untyped-def]
    result = run(runner, ["steps", "--flow", "modern"], env={"COLUMNS": "80"}, catch_exceptions=False)
    golden("steps-modern-80.txt", "\n".join(line.rstrip() for line in result.stdout.splitlines()) + "\n")
    listed = json.loads(run(runner, ["steps", "--flow", "modern", "-f", "json"]).stdout)
    assert [row["number"] for row in listed] == list(range(1, 10))
    assert listed[3]["name"] == "select-destinations"


def test_boot_with_the_modern_flow(runner: CliRunner) -> None:
    result = run(
        runner, [*DEMO_ARGS, "--flow", "modern", "--level", "developer"], env={"COLUMNS": "160"}, catch_exceptions=False
    )
    assert result.exit_code == 0
    assert " Step 9/9  hypervisor · ok" in result.stdout
    assert "✗ placement: disabled: trait COMPUTE_STATUS_DISABLED is forbidden" in result.stdout
    document = json.loads(run(runner, [*DEMO_ARGS, "--flow", "modern", "-f", "json"]).stdout)
    assert document["flow"] == "modern" and document["schema_version"] == 1


def test_compare_golden_at_80_columns(runner: CliRunner, golden) -> None:  # type: ignore[no-untyped-def]
    result = run(runner, ["compare"], env={"COLUMNS": "80"}, catch_exceptions=False)
    assert result.exit_code == 0
    golden("compare-80.txt", "\n".join(line.rstrip() for line in result.stdout.splitlines()) + "\n")
    narrow = run(runner, ["compare"], env={"COLUMNS": "40"})
    assert max(len(line.rstrip()) for line in narrow.stdout.splitlines()) <= 40


def test_compare_json_names_a_release_or_the_story_for_every_change(runner: CliRunner) -> None:
    rows = json.loads(run(runner, ["compare", "-f", "json"]).stdout)
    assert len(rows) >= 12
    for row in rows:
        assert set(row) == {"classic", "modern", "change", "since"}
        assert row["since"]
    assert {row["since"] for row in rows} >= {"story", "Ocata (15.0.0)", "Pike (16.0.0)", "Juno (2014.2)"}


def test_every_step_of_both_flows_names_its_source() -> None:
    from bootwalk.flows.classic import CLASSIC_PIPELINE
    from bootwalk.flows.modern import MODERN_PIPELINE

    for step in (*CLASSIC_PIPELINE, *MODERN_PIPELINE):
        assert step.note, step.name
        assert step.source.startswith(("nova/", "keystone")), (step.name, step.source)


def test_explain_shows_the_source(runner: CliRunner) -> None:
    result = run(runner, ["explain", "conductor-build", "--flow", "modern"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert (
        "Read at nova master: nova/conductor/manager.py ComputeTaskManager.schedule_and_build_instances"
        in result.stdout
    )
    assert "· conductor-build · nova master (00a03040)" in result.stdout


def test_top_level_help_gives_each_command_a_whole_line_at_80_columns() -> None:
    from bootwalk.cli import LAZY_COMMANDS

    result = CliRunner().invoke(cli, ["--help"], terminal_width=80)
    listed = result.output.split("\nCommands:\n")[1].splitlines()
    assert [line.split()[0] for line in listed] == sorted(LAZY_COMMANDS)
    for line in listed:
        name, summary = line.split(maxsplit=1)
        assert summary == LAZY_COMMANDS[name][2] and len(line) <= 78, line  # never cut with "..."
    assert isinstance(cli, click.Group)
    context = click.Context(cli)
    for name in LAZY_COMMANDS:  # each names a command that exists
        assert cli.get_command(context, name) is not None


def test_top_level_help_builds_no_walk_command() -> None:
    code = (
        "import sys\n"
        "from bootwalk.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('bootwalk.cli.walk' in sys.modules, 'shutil' in sys.modules, file=sys.stderr)\n"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert completed.stderr.strip() == "False False"


def test_explain_needs_a_catalog_the_demo_walks_in(runner: CliRunner, tmp_path: Path) -> None:
    from tests.test_catalog import SHIPPED

    for name in ("images.yaml", "cloud.yaml"):
        (tmp_path / name).write_bytes((SHIPPED / name).read_bytes())
    (tmp_path / "flavors.yaml").write_text("flavors:\n  - {name: big, id: b1, vcpus: 1, ram: 512, disk: 1}\n")
    result = run(runner, ["explain", "4", "--catalog", str(tmp_path)])
    assert (result.exit_code, result.stderr) == (
        ExitCode.ERROR,
        "Error: explain walks the demo boot, and this catalog cannot: No flavor with a name or ID of 'm1.tiny' "
        "exists.\n",
    )
    (tmp_path / "flavors.yaml").write_bytes((SHIPPED / "flavors.yaml").read_bytes())
    cloud = (
        (SHIPPED / "cloud.yaml")
        .read_text(encoding="utf-8")
        .replace("in_use: {instances: 0,", "in_use: {instances: 10,")
    )
    (tmp_path / "cloud.yaml").write_text(cloud, encoding="utf-8")
    result = run(runner, ["explain", "4", "--catalog", str(tmp_path)])
    assert (result.exit_code, result.stderr) == (
        ExitCode.ERROR,
        "Error: explain walks the demo boot, and in this catalog it stops before step 4\n",
    )


def test_a_filter_listed_twice_is_refused(runner: CliRunner) -> None:
    result = run(runner, [*DEMO_ARGS, "--enabled-filters", "RamFilter,RamFilter"])
    assert (result.exit_code, result.stderr) == (
        ExitCode.USAGE,
        "Error: Invalid value for '--enabled-filters': lists a filter twice (see 'bootwalk boot --help')\n",
    )


@pytest.mark.parametrize("command", ["boot", "steps", "explain"])
def test_the_flow_choices_are_the_registry(command: str) -> None:
    from bootwalk.cli import cli
    from bootwalk.flows import REGISTRY

    group_context = click.Context(cli)
    found = cli.get_command(group_context, command)
    assert found is not None
    flow = next(param for param in found.params if param.name == "flow")
    assert isinstance(flow.type, click.Choice)
    assert tuple(flow.type.choices) == tuple(REGISTRY) == ("classic", "modern")


@pytest.mark.parametrize(
    ("arguments", "bug", "code", "line"),
    [
        # A value on the command line is refused before it is used (bootwalk takes printable text only) ...
        (["replay", "\x1b[2J.json"], None, ExitCode.USAGE,
         "Error: Invalid value for 'FILE': holds a control character (U+001B); bootwalk takes printable text only "
         "(see 'bootwalk replay --help')"),
        (["replay", "\udc9b\x1b]0;owned\x07.json"], None, ExitCode.USAGE,
         "Error: Invalid value for 'FILE': holds a byte that is not UTF-8 text (\\x9b); bootwalk takes printable "
         "text only (see 'bootwalk replay --help')"),
        ([*BOOT, "--flavor", "\x1b[31mred", "x"], None, ExitCode.USAGE,
         "Error: Invalid value for '--flavor': holds a control character (U+001B); bootwalk takes printable text "
         "only" + HINT),
        # ... and what click says of a word it does not know shows it, not sends it.
        ([*BOOT, "--\x1b]0;owned\x07\r\x7f\x85\x9b\t\udc9b"], None, ExitCode.USAGE,
         "Error: No such option '--\\x1b]0;owned\\x07\\r\\x7f\\x85\\x9b\\t\\udc9b'." + HINT),
        (["\x1b]0;title\x07"], None, ExitCode.USAGE,
         "Error: No such command '\\x1b]0;title\\x07'. (see 'bootwalk --help')"),
        ([*DEMO_ARGS, "-q", "--export-trace", "/no/such/\x1b[2J.json"], None, ExitCode.USAGE,
         "Error: Invalid value for '--export-trace': holds a control character (U+001B); bootwalk takes printable "
         "text only" + HINT),
        (DEMO_ARGS, "\x1b[2Jboom", ExitCode.ERROR,
         "bootwalk: internal error (RuntimeError: \\x1b[2Jboom); this is a bug, please report it with the command "
         "you ran (BOOTWALK_DEBUG=1 shows the traceback)"),
    ],
)  # fmt: skip
def test_error_lines_show_control_characters_instead_of_sending_them(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, arguments: list[str], bug: str | None, code: int, line: str
) -> None:
    """``bootwalk replay $'\\e[2J.json'`` must not clear the screen its error is printed on; nor must a bug's text."""
    if bug is not None:

        def broken(*args: object, **kwargs: object) -> None:
            raise RuntimeError(bug)

        monkeypatch.setattr("bootwalk.engine.walk", broken)
    result = run(runner, arguments)
    assert (result.exit_code, result.stderr) == (code, line + "\n")


def test_printable_escapes_every_control_character_but_the_newline() -> None:
    from bootwalk.cli.streams import printable

    assert (
        printable("a\x00\x1b\x7f\x80\x9f\u00a0é→\ud800\udcff\nb") == "a\\x00\\x1b\\x7f\\x80\\x9f\u00a0é→\\ud800\\xff\nb"
    )


def test_explain_4_shows_each_filter_s_reasoning_for_every_host(runner: CliRunner) -> None:
    result = run(runner, ["explain", "4"], env={"COLUMNS": "100"}, catch_exceptions=False)
    assert result.exit_code == 0
    assert "Each filter's reasoning for every host, then the weights" in result.stdout
    for host in ("compute1", "compute2", "compute3", "compute4"):
        assert f"│ {host} " in result.stdout
    assert "✗ ComputeFilter: disabled, reason: maintenance" in result.stdout


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("RamFilter", "removed in Train (20.0.0): placement's allocation candidates check MEMORY_MB"),
        ("RetryFilter", "removed in Victoria (22.0.0): a reschedule takes the next alternate host instead"),
        ("AvailabilityZoneFilter", "removed in 2023.2 (28.0.0): the request filter map_az_to_placement_aggregate "
                                   "asks placement for the zone's hosts"),
    ],
)  # fmt: skip
def test_the_modern_flow_refuses_filters_nova_removed(runner: CliRunner, name: str, why: str) -> None:
    result = run(runner, [*DEMO_ARGS[:-1], "--flow", "modern", "--enabled-filters", f"ComputeFilter,{name}", "x"])
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == (
        "Error: Invalid value for '--enabled-filters': nova-scheduler (nova master (00a03040)) does not start: "
        f"Scheduler Host Filter {name} could not be found. {name} was {why}. (see 'bootwalk boot --help')\n"
    )
    assert result.stdout == ""
    # Icehouse had every one of them.
    assert run(runner, [*DEMO_ARGS[:-1], "--enabled-filters", f"ComputeFilter,{name}", "-q", "x"]).exit_code == 0


def test_a_catalog_that_enables_a_removed_filter_is_refused_in_the_modern_flow(
    runner: CliRunner, tmp_path: Path
) -> None:
    from tests.test_catalog import SHIPPED

    for name in ("flavors.yaml", "images.yaml"):
        (tmp_path / name).write_bytes((SHIPPED / name).read_bytes())
    cloud = (
        (SHIPPED / "cloud.yaml")
        .read_text(encoding="utf-8")
        .replace("scheduler:\n", "scheduler:\n  enabled_filters: [RetryFilter, ComputeFilter]\n", 1)
    )
    (tmp_path / "cloud.yaml").write_text(cloud, encoding="utf-8")
    result = run(runner, [*DEMO_ARGS[:-1], "--flow", "modern", "--catalog", str(tmp_path), "x"])
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith(
        "Error: cloud.yaml's scheduler.enabled_filters: nova-scheduler (nova master (00a03040)) does not start: "
        "Scheduler Host Filter RetryFilter could not be found."
    )
    assert result.stderr.rstrip().endswith("Leave it out, or walk --flow classic (see 'bootwalk boot --help')")


@pytest.mark.parametrize(
    ("nic", "message"),
    [
        # novaclient resolves a net-name the moment it reads it (_find_network_id), before what follows
        ("net-name=nope,foo", "No Network matching nope. (HTTP 404) (see 'bootwalk net-list')"),
        ("net-name=nope,net-id=x", "No Network matching nope. (HTTP 404) (see 'bootwalk net-list')"),
        ("foo,net-name=nope", NIC_ERROR.replace("'foo'", "'foo,net-name=nope'") + HINT),
        ("net-name=private,net-name=private",
         NIC_ERROR.replace("'foo'", "'net-name=private,net-name=private'") + HINT),
    ],
)  # fmt: skip
def test_a_net_name_is_looked_up_as_novaclient_reads_it(runner: CliRunner, nic: str, message: str) -> None:
    """An unknown name points to the list of what the catalog has; a malformed value to the options."""
    result = run(runner, [*BOOT, *MODERN, "--nic", nic, "x"])
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == f"Error: Invalid value for '--nic': {message}\n"


def test_an_empty_bootwalk_catalog_is_unset_and_walks_the_shipped_catalogs(runner: CliRunner) -> None:
    result = run(runner, [*DEMO_ARGS, "-f", "json"], env={"BOOTWALK_CATALOG": ""})
    assert result.exit_code == ExitCode.OK, result.stderr
    assert json.loads(result.stdout)["outcome"] == "ACTIVE"
