"""Both dialects: openstack server create walks the same boot, and each prints the other's command."""

from __future__ import annotations

import json
import shlex

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from bootwalk.cli import cli
from bootwalk.cli.boot import boot, nova_options
from bootwalk.cli.walk import split_walk_options
from bootwalk.dialects import header_lines, nova_command, openstack_command
from bootwalk.dialects.nova import build_request
from bootwalk.exit_codes import ExitCode
from bootwalk.request import BootRequest
from tests.conftest import DEMO_ARGS, post_of

#: Today's nova: the flags that need a microversion are the client's to check against it.
MODERN = ["--flow", "modern"]
OSC_DEMO = ["server", "create", "--image", "cirros", "--flavor", "m1.tiny", "--network", "private", "demo-vm"]


def run(arguments: list[str], **kwargs: object):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, arguments, prog_name="bootwalk", env={"COLUMNS": "200"}, **kwargs)  # type: ignore[arg-type]


def test_server_create_walks_to_the_same_server_as_nova_boot() -> None:
    for flow in ("classic", "modern"):
        nova = json.loads(run([*DEMO_ARGS, "--flow", flow, "-f", "json"]).stdout)
        osc = json.loads(run([*OSC_DEMO, "--flow", flow, "-f", "json"]).stdout)
        assert osc["outcome"] == nova["outcome"] == "ACTIVE"
        assert osc["server"] == nova["server"]
        assert (osc["request"]["dialect"], nova["request"]["dialect"]) == ("openstack", "nova")
    body = osc["steps"][2]["handoffs"][0]["payload"]["body"]["server"]
    assert body["block_device_mapping_v2"] == [
        {"source_type": "image", "destination_type": "local", "uuid": "9f4cbb8e-3c5b-4b8a-9d57-1b6f0c2d8a11",
         "boot_index": 0, "delete_on_termination": True},
    ]  # fmt: skip


def test_each_dialect_prints_the_other_once() -> None:
    nova = run(DEMO_ARGS)
    assert nova.stdout.count("In the other dialect:") == 1
    assert nova.stdout.startswith(
        "Release: Icehouse (2014.1), called by today's nova client\n"
        "In the other dialect: openstack server create --flavor m1.tiny --image cirros --network private demo-vm\n"
    )
    osc = run(OSC_DEMO)
    assert osc.stdout.startswith(
        "Release: Icehouse (2014.1), called by today's openstack client\n"
        "In the other dialect: nova boot --flavor m1.tiny --image cirros --nic net-name=private demo-vm\n"
    )
    assert json.loads(run([*DEMO_ARGS, "-f", "json"]).stdout)["request"]["commands"] == {
        "nova": "nova boot --flavor m1.tiny --image cirros --nic net-name=private demo-vm",
        "openstack": "openstack server create --flavor m1.tiny --image cirros --network private demo-vm",
    }


def test_flags_that_need_a_microversion_are_named() -> None:
    nova = run([*DEMO_ARGS[:-1], *MODERN, "--tags", "a,b", "--nic", "auto", "demo-vm"])
    assert nova.exit_code == ExitCode.USAGE  # net-name and auto together: novaclient's rule
    result = run(
        ["boot", *MODERN, "--image", "cirros", "--flavor", "m1.tiny", "--nic", "auto", "--tags", "a,b", "demo"]
    )
    assert "Needs a compute API microversion: --nic auto: 2.37 or later; --tags: 2.52 or later" in result.stdout
    osc = run(["server", "create", *MODERN, "--image", "cirros", "--flavor", "m1.tiny", "--auto-network", "--tag", "a",
               "demo"])  # fmt: skip
    assert "Needs a compute API microversion: --auto-network: 2.37 or later; --tag: 2.52 or later" in osc.stdout
    assert "In the other dialect: nova boot --flavor m1.tiny --image cirros --nic auto --tags a demo" in osc.stdout


def test_the_nova_only_flags_are_called_out() -> None:
    result = run([*DEMO_ARGS[:-1], "--access-ip-v4", "10.1.1.1", "demo-vm"])
    assert "(openstack server create has no flag for --access-ip-v4)" in result.stdout


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--image", "nope", "--flavor", "m1.tiny", "x"], "Error: Invalid value for '--image': No Image found for nope"),
        (["--image", "cirros", "--flavor", "huge", "x"], "Error: Invalid value for '--flavor': No Flavor found for huge"),
        (["--image", "cirros", "--flavor", "m1.tiny", "--network", "nope", "x"],
         "Error: Invalid value for '--network': No Network found for nope"),
        (["--image", "cirros", "--flavor", "m1.tiny", "--port", "nope", "x"],
         "Error: Invalid value for '--port': No Port found for nope"),
        (["--volume", "nope", "--flavor", "m1.tiny", "x"], "Error: Invalid value for '--volume': No Volume found for nope"),
        (["--image", "cirros", "--volume", "boot-vol", "--flavor", "m1.tiny", "x"],
         "Error: argument --volume: not allowed with argument --image"),
        (["--image", "cirros", "--flavor", "m1.tiny", "--min", "3", "--max", "2", "x"],
         "Error: min instances should be <= max instances"),
        (["--image", "cirros", "--flavor", "m1.tiny", "--min", "0", "x"], "Error: min instances should be > 0"),
        (["--image", "cirros", "--flavor", "m1.tiny", "--nic", "net-id=a,port-id=b", "x"],
         "Error: Invalid argument net-id=a,port-id=b; either 'network' or 'port' should be specified but not both"),
        (["--image", "cirros", "--flavor", "m1.tiny", "--nic", "color=red", "x"],
         "Error: Invalid argument color=red; argument must be of form 'net-id=net-uuid,port-id=port-uuid,"
         "v4-fixed-ip=ip-addr,v6-fixed-ip=ip-addr,tag=tag'"),
        (["--image", "cirros", "--flavor", "m1.tiny", "--auto-network", "--network", "private", "x"],
         "Error: Specifying a --nic of auto or none cannot be used with any other --nic, --network or --port value."),
        (["--image", "cirros", "--flavor", "m1.tiny", "--no-network", "--os-compute-api-version", "2.36", "x"],
         "Error: --os-compute-api-version 2.37 or greater is required to support explicit auto-allocation of a "
         "network or to disable network allocation"),
        (["--image", "cirros", "--flavor", "m1.tiny", "--description", "d", "--os-compute-api-version", "2.18", "x"],
         "Error: --os-compute-api-version 2.19 or greater is required to support the --description option"),
        (["--flavor", "m1.tiny", "--boot-from-volume", "1", "x"],
         "Error: An image (--image or --image-property) is required to support --boot-from-volume option"),
        (["--image", "cirros", "--flavor", "m1.tiny", "--delete-on-termination", "x"],
         "Error: --delete-on-termination can only be used with --boot-from-volume"),
        (["--image", "cirros", "--flavor", "m1.tiny", "--network", "a=b", "x"],
         "Error: argument --network: Invalid argument a=b; characters ',' and '=' are not allowed"),
    ],
)  # fmt: skip
def test_server_create_errors_are_openstacks_in_one_line(arguments: list[str], message: str) -> None:
    result = run(["server", "create", *MODERN, *arguments])
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1


def test_server_create_options_map_to_the_request() -> None:
    document = json.loads(run([
        "server", "create", "--image", "cirros", "--flavor", "m1.tiny", "--port", "pre-made-port",
        "--security-group", "web", "--property", "role=db", "--server-group", "web-ha", "--min", "1", "--max", "1",
        "--key-name", "mykey", "--use-config-drive", "--tag", "t1", "-f", "json", *MODERN, "x",
    ]).stdout)  # fmt: skip
    request = document["request"]
    assert request["security_groups"] == ["web"] and request["meta"] == {"role": "db"}
    assert request["hints"] == {"group": "web-ha"} and request["key_name"] == "mykey"
    assert request["nics"] == ["port-id=d4e6f8a0-b2c4-4d6e-8f0a-1b3d5f7b9d1f"]
    assert request["config_drive"] is True
    assert request["commands"]["nova"] == (
        "nova boot --flavor m1.tiny --image cirros --meta role=db --key-name mykey --security-groups web "
        "--hint group=web-ha --nic port-id=d4e6f8a0-b2c4-4d6e-8f0a-1b3d5f7b9d1f --config-drive true --tags t1 x"
    )


def test_boot_from_volume_makes_cinder_create_the_root_volume() -> None:
    document = json.loads(run([
        "server", "create", "--image", "cirros", "--flavor", "m1.tiny", "--boot-from-volume", "2",
        "--network", "private", "-f", "json", "x",
    ]).stdout)  # fmt: skip
    body = document["steps"][2]["handoffs"][0]["payload"]["body"]["server"]
    assert body["imageRef"] == ""
    assert body["block_device_mapping_v2"][0]["destination_type"] == "volume"
    assert body["block_device_mapping_v2"][0]["volume_size"] == 2
    # Icehouse: cinder v1 (POST /v1/{tenant_id}/volumes), as 2014.1's python-cinderclient called it
    assert "POST /v1/{tenant_id}/volumes" in [h["call"] for h in document["steps"][10]["handoffs"]]
    assert document["request"]["commands"]["openstack"].startswith(
        "openstack server create --flavor m1.tiny --image 9f4cbb8e-3c5b-4b8a-9d57-1b6f0c2d8a11 --boot-from-volume 2"
    )


def test_header_lines_from_a_summary() -> None:
    assert header_lines({"dialect": "openstack", "commands": {"nova": "nova boot x"}, "microversions": []}) == [
        "In the other dialect: nova boot x"
    ]
    assert header_lines({}) == []


names = st.from_regex(r"[a-z0-9][a-z0-9-]{0,9}", fullmatch=True)
server_names = names | st.from_regex(r"-[a-z0-9]{1,5}", fullmatch=True)
values = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789 -_.", min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(
    name=server_names, flavor=names, image=names,
    counts=st.tuples(st.integers(1, 3), st.integers(0, 3)),
    meta=st.dictionaries(names, values, max_size=2),
    key=st.none() | names, zone=st.none() | names,
    groups=st.lists(names, max_size=2, unique=True),
    networks=st.lists(names, min_size=1, max_size=2),
    description=st.none() | values, tags=st.lists(names, max_size=2, unique=True),
    poll=st.booleans(), drive=st.booleans(),
)  # fmt: skip
def test_the_nova_command_parses_back_to_the_same_request(
    name: str, flavor: str, image: str, counts: tuple[int, int], meta: dict[str, str], key: str | None,
    zone: str | None, groups: list[str], networks: list[str], description: str | None, tags: list[str],
    poll: bool, drive: bool,
) -> None:  # fmt: skip
    from bootwalk.request import NicRequest

    low, extra = counts
    request = BootRequest(
        name=name, flavor=flavor, image=image, min_count=low, max_count=low + extra, meta=meta, key_name=key,
        availability_zone=zone, security_groups=tuple(groups), nics=tuple(NicRequest(net_name=n) for n in networks),
        description=description, tags=tuple(tags), poll=poll, config_drive=drive,
    )  # fmt: skip
    words = shlex.split(nova_command(request))
    assert words[:2] == ["nova", "boot"]
    context = boot.make_context("boot", words[2:])
    options = dict(context.params)
    split_walk_options(options)
    assert build_request(nova_options(options)) == request
    osc_words = shlex.split(openstack_command(request)[0])
    assert osc_words[:3] == ["openstack", "server", "create"] and osc_words[-1] == name
    if name.startswith("-"):
        assert osc_words[-2] == "--"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--block-device", "boot_index=first"], "Error: The boot_index key of --block-device should be an integer"),
        (["--block-device", "source_type=tape"],
         "Error: The source_type key of --block-device should be one of: volume, image, snapshot, blank"),
        (["--block-device", "destination_type=cloud"],
         "Error: The destination_type key of --block-device should be one of: local, volume"),
        (["--block-device", "volume_size=big"], "Error: The volume_size key of --block-device should be an integer"),
        (["--block-device", "colour=red"],
         "Error: Invalid argument colour=red; the keys of --block-device are: uuid, source_type, destination_type, "
         "disk_bus, device_type, device_name, volume_size, guest_format, boot_index, delete_on_termination, tag, "
         "volume_type"),
        (["--nic", "v4-fixed-ip=10.0.0.5"],
         "Error: Invalid argument v4-fixed-ip=10.0.0.5; give net-id or port-id (openstack would send an empty "
         "network, which nova refuses)"),
        (["--nic", "net-id=private,v4-fixed-ip=10.0.0.5,v6-fixed-ip=::5"],
         "Error: Invalid argument net-id=private,v4-fixed-ip=10.0.0.5,v6-fixed-ip=::5; either 'v4-fixed-ip' or "
         "'v6-fixed-ip' should be specified but not both"),
        (["--max", "0"], "Error: min instances should be <= max instances"),
    ],
)  # fmt: skip
def test_server_create_block_device_nic_and_count_errors(arguments: list[str], message: str) -> None:
    result = run(["server", "create", "--image", "cirros", "--flavor", "m1.tiny", *arguments, "x"])
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--snapshot", "s1", "--boot-from-volume", "1"], "Error: --snapshot is not allowed with --boot-from-volume"),
        (["--volume", "boot-vol", "--boot-from-volume", "1"], "Error: --volume is not allowed with --boot-from-volume"),
        ([], "Error: no boot source: give --image, --image-property, --volume, --snapshot or a block device"),
        # OSC checks min <= max, then min > 0: its "max instances should be > 0" can never show.
        (["--image", "cirros", "--min", "0", "--max", "0"], "Error: min instances should be > 0"),
        (["--image", "cirros", "--network", "private", "--scenario", "volume-attach-failed"],
         "Error: --scenario volume-attach-failed needs a volume to attach: add --volume <volume>, "
         "--snapshot <snapshot> or --boot-from-volume <size>"),
    ],
)  # fmt: skip
def test_server_create_source_errors(arguments: list[str], message: str) -> None:
    result = run(["server", "create", "--flavor", "m1.tiny", *arguments, "x"])
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1


def test_server_create_ends_in_openstacks_words() -> None:
    result = run([*OSC_DEMO, "--scenario", "compute-down", "--show"])
    assert result.exit_code == ExitCode.ERROR
    assert result.stderr == (
        "demo-vm went to ERROR: No valid host was found.  "
        "(openstack server create had answered 202; the fault shows in openstack server show)\n"
    )
    assert "\nopenstack server show demo-vm" in result.stdout and "\nnova show demo-vm" not in result.stdout
    waited = run([*OSC_DEMO[:-1], "--wait", "--scenario", "compute-down", "demo-vm"])
    assert waited.exit_code == ExitCode.ERROR
    assert waited.stderr == "Error creating server: demo-vm\n"
    assert "Server building" not in waited.stdout


def test_server_create_lists_every_server_as_openstack_server_list() -> None:
    result = run([*OSC_DEMO[:-1], "--min", "2", "--max", "2", "-q", "demo-vm"])
    assert result.exit_code == ExitCode.OK
    assert "\nopenstack server list" in result.stdout and "nova list" not in result.stdout


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--file", "/etc/motd=/dev/null"],
         "Error: Personality files are deprecated and are not supported for --os-compute-api-version greater than "
         "2.56; use user data instead"),
        (["--nic", "net-id=private,tag=eth0", "--os-compute-api-version", "2.42"],
         "Error: --os-compute-api-version 2.43 or greater is required to support the --nic tag field"),
    ],
)  # fmt: skip
def test_server_create_refuses_what_the_microversion_table_refuses(arguments: list[str], message: str) -> None:
    result = run(["server", "create", *MODERN, "--image", "cirros", "--flavor", "m1.tiny", *arguments, "x"])
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1


def test_against_icehouse_the_clients_speak_2_0() -> None:
    """Icehouse had no microversions: novaclient's discover_version finds no range and falls back to 2.0."""
    nova = json.loads(run([*DEMO_ARGS[:-1], "-f", "json", "demo-vm"]).stdout)
    assert nova["request"]["api_version"] == "2.0"
    assert "OpenStack-API-Version" not in post_of(nova["steps"][2]["handoffs"])["payload"]["headers"]
    osc = run([*OSC_DEMO[:-1], "--tag", "a", "demo-vm"])
    assert osc.exit_code == ExitCode.USAGE
    assert osc.stderr.startswith(
        "Error: --os-compute-api-version 2.52 or greater is required to support the --tag option"
    )
    explicit = run([*OSC_DEMO[:-1], "--os-compute-api-version", "2.52", "demo-vm"])
    assert explicit.stderr.startswith(
        "Error: Invalid value for '--os-compute-api-version': Icehouse (2014.1) has none, so openstackclient speaks "
        "2.0 to it; leave it out, or walk --flow modern"
    )
