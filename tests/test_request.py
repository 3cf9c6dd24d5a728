"""The parsers for nova boot's values: novaclient's rules and exact messages."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bootwalk.dialects.nics import AUTO_OR_NONE_ALONE, nic_error_message, parse_nics
from bootwalk.request import (
    ApiVersion,
    NicRequest,
    RequestError,
    check_counts,
    collect_hints,
    format_nic,
    parse_api_version,
    parse_block_device,
    parse_block_device_mapping,
    parse_config_drive,
    parse_ephemeral,
    parse_file_argument,
    parse_key_value,
)

ERR_242 = (
    "Invalid nic argument '{}'. Nic arguments must be of the form --nic <auto,none,net-id=net-uuid,"
    "net-name=network-name,v4-fixed-ip=ip-addr,v6-fixed-ip=ip-addr,port-id=port-uuid,tag=tag>, "
    "with only one of net-id, net-name or port-id specified. Specifying a --nic of auto or none "
    "cannot be used with any other --nic value."
)


def test_nic_error_message_at_each_microversion_range() -> None:
    assert nic_error_message(ApiVersion(2, 96)) % "x" == ERR_242.format("x")
    assert nic_error_message(ApiVersion(2, 40)) == (
        "Invalid nic argument '%s'. Nic arguments must be of the form --nic <auto,none,net-id=net-uuid,"
        "net-name=network-name,v4-fixed-ip=ip-addr,v6-fixed-ip=ip-addr,port-id=port-uuid>, with only one "
        "of net-id, net-name or port-id specified. Specifying a --nic of auto or none cannot be used with "
        "any other --nic value."
    )
    assert nic_error_message(ApiVersion(2, 33)) == (
        "Invalid nic argument '%s'. Nic arguments must be of the form --nic <net-id=net-uuid,"
        "net-name=network-name,v4-fixed-ip=ip-addr,v6-fixed-ip=ip-addr,port-id=port-uuid,tag=tag>, "
        "with only one of net-id, net-name or port-id specified."
    )
    assert nic_error_message(ApiVersion(2, 1)).endswith(
        "port-id=port-uuid>, with only one of net-id, net-name or port-id specified."
    )


def test_nic_by_name_parses_to_a_typed_request() -> None:
    assert parse_nics(("net-name=private",)) == (NicRequest(net_name="private"),)


def test_nic_with_every_key() -> None:
    nics = parse_nics(("net-id=abc,v4-fixed-ip=10.0.0.5,tag=eth0", "port-id=p1,v6-fixed-ip=fd00::5"))
    assert nics == (
        NicRequest(net_id="abc", v4_fixed_ip="10.0.0.5", tag="eth0"),
        NicRequest(port_id="p1", v6_fixed_ip="fd00::5"),
    )


def test_no_nic_means_auto_from_237_and_nothing_before() -> None:
    assert parse_nics(()) == "auto"
    assert parse_nics((), ApiVersion(2, 36)) == ()


@pytest.mark.parametrize("word", ["auto", "none"])
def test_auto_and_none_alone(word: str) -> None:
    assert parse_nics((word,)) == word


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        (("foo",), ERR_242.format("foo")),
        (("net-id",), ERR_242.format("net-id")),
        (("colour=red",), ERR_242.format("colour=red")),
        (("net-id=a,net-name=b",), ERR_242.format("net-id=a,net-name=b")),
        (("net-id=a,net-id=b",), ERR_242.format("net-id=a,net-id=b")),
        (("net-id=a,port-id=b",), ERR_242.format("net-id=a,port-id=b")),
        (("v4-fixed-ip=10.0.0.1",), ERR_242.format("v4-fixed-ip=10.0.0.1")),
        (("net-id=a,v4-fixed-ip=300.1.1.1",), "Invalid ipv4 address."),
        (("net-id=a,v4-fixed-ip=fd00::1",), "Invalid ipv4 address."),
        (("net-id=a,v6-fixed-ip=10.0.0.1",), "Invalid ipv6 address."),
        (("auto,net-id=a",), AUTO_OR_NONE_ALONE),
        (("net-id=a,auto",), AUTO_OR_NONE_ALONE),
        (("auto", "net-id=a"), AUTO_OR_NONE_ALONE),
        (("auto", "none"), AUTO_OR_NONE_ALONE),
        (("net-id=a", "auto"), ERR_242.format("auto")),
    ],
)
def test_malformed_nics_get_novaclients_message(texts: tuple[str, ...], message: str) -> None:
    with pytest.raises(RequestError) as caught:
        parse_nics(texts)
    assert str(caught.value) == message


def test_auto_needs_237() -> None:
    with pytest.raises(RequestError) as caught:
        parse_nics(("auto",), ApiVersion(2, 36))
    assert str(caught.value) == nic_error_message(ApiVersion(2, 36)) % "auto"


def test_tag_is_refused_between_237_and_241() -> None:
    with pytest.raises(RequestError) as caught:
        parse_nics(("net-id=a,tag=t",), ApiVersion(2, 40))
    assert str(caught.value) == nic_error_message(ApiVersion(2, 40)) % "net-id=a,tag=t"


names = st.text(
    alphabet=st.characters(whitelist_categories=("Ll", "Lu", "Nd"), whitelist_characters="-_."), min_size=1, max_size=20
)
v4 = st.ip_addresses(v=4).map(str)
v6 = st.ip_addresses(v=6).map(str)


@st.composite
def nic_requests(draw: st.DrawFn) -> NicRequest:
    kind = draw(st.sampled_from(["net-id", "net-name", "port-id"]))
    value = draw(names)
    return NicRequest(
        net_id=value if kind == "net-id" else None,
        net_name=value if kind == "net-name" else None,
        port_id=value if kind == "port-id" else None,
        v4_fixed_ip=draw(st.none() | v4),
        v6_fixed_ip=draw(st.none() | v6),
        tag=draw(st.none() | names),
    )


@given(st.lists(nic_requests(), min_size=1, max_size=4))
def test_any_well_formed_nic_round_trips(nics: list[NicRequest]) -> None:
    texts = tuple(format_nic(nic) for nic in nics)
    assert parse_nics(texts) == tuple(nics)


@given(st.lists(st.text(max_size=40), max_size=4), st.integers(min_value=1, max_value=96))
def test_nic_parsing_never_fails_other_than_with_a_request_error(texts: list[str], minor: int) -> None:
    try:
        result = parse_nics(tuple(texts), ApiVersion(2, minor))
    except RequestError as error:
        assert str(error)
    else:
        assert result in ("auto", "none", ()) or all(isinstance(nic, NicRequest) for nic in result)
        for nic in result if isinstance(result, tuple) else ():
            assert (nic.net_name is not None or bool(nic.net_id)) != bool(nic.port_id)
            if nic.v4_fixed_ip:
                assert ipaddress.ip_address(nic.v4_fixed_ip).version == 4


@pytest.mark.parametrize(
    ("low", "high", "message"),
    [
        (0, None, "min_count should be >= 1"),
        (None, 0, "max_count should be >= 1"),
        (-3, 2, "min_count should be >= 1"),
        (3, 2, "min_count should be <= max_count"),
    ],
)
def test_counts_get_novaclients_messages(low: int | None, high: int | None, message: str) -> None:
    with pytest.raises(RequestError) as caught:
        check_counts(low, high)
    assert str(caught.value) == message


def test_counts_default_and_min_sets_max() -> None:
    assert check_counts(None, None) == (1, 1)
    assert check_counts(3, None) == (3, 3)
    assert check_counts(None, 5) == (1, 5)
    assert check_counts(2, 5) == (2, 5)


@given(st.integers(min_value=-5, max_value=50), st.integers(min_value=-5, max_value=50))
def test_counts_accepted_are_always_consistent(low: int, high: int) -> None:
    try:
        result = check_counts(low, high)
    except RequestError:
        assert low < 1 or high < 1 or low > high
    else:
        assert 1 <= result[0] <= result[1]


def test_api_version() -> None:
    assert parse_api_version("2.latest") == ApiVersion(2, 96)
    assert parse_api_version("2.37") == ApiVersion(2, 37)
    with pytest.raises(RequestError, match="is not a compute API version"):
        parse_api_version("3.0")
    with pytest.raises(RequestError, match=r"outside what python-novaclient 18 supports \(2.1 to 2.96\)"):
        parse_api_version("2.97")


def test_hints_repeat_into_lists() -> None:
    assert collect_hints((("group", "g1"), ("same_host", "a"), ("same_host", "b"), ("same_host", "c"))) == {
        "group": "g1",
        "same_host": ["a", "b", "c"],
    }


def test_key_value_and_file_arguments() -> None:
    assert parse_key_value("a=b=c", "--meta") == ("a", "b=c")
    with pytest.raises(RequestError) as caught:
        parse_key_value("novalue", "--meta")
    assert str(caught.value) == "Invalid --meta argument 'novalue'. It must be of the form <key=value>"
    with pytest.raises(RequestError) as caught:
        parse_file_argument("/etc/motd")
    assert str(caught.value) == (
        "Invalid file argument '/etc/motd'. File arguments must be of the form '--file <dst-path=src-path>'"
    )


@pytest.mark.parametrize(
    ("text", "value"), [("true", True), ("1", True), ("False", False), ("0", False), ("", False), (None, False)]
)
def test_config_drive_values(text: str | None, value: bool) -> None:
    assert parse_config_drive(text) is value


def test_config_drive_rejects_others() -> None:
    with pytest.raises(RequestError) as caught:
        parse_config_drive("maybe")
    assert str(caught.value) == "The value of the '--config-drive' option must be a boolean value."


def test_block_device_forms() -> None:
    device = parse_block_device("source=volume,id=v1,dest=volume,bootindex=0,shutdown=remove")
    assert (device.source_type, device.destination_type, device.boot_index, device.uuid, device.delete_on_termination) == (
        "volume", "volume", 0, "v1", True,
    )  # fmt: skip
    legacy = parse_block_device_mapping("vdb=v2:::1")
    assert (legacy.device_name, legacy.uuid, legacy.source_type, legacy.delete_on_termination) == (
        "vdb",
        "v2",
        "volume",
        True,
    )
    ephemeral = parse_ephemeral("size=2,format=ext4")
    assert (ephemeral.volume_size, ephemeral.guest_format, ephemeral.destination_type) == (2, "ext4", "local")
    with pytest.raises(RequestError, match="source must be image, snapshot, volume or blank"):
        parse_block_device("source=floppy,id=x")
    with pytest.raises(RequestError, match="Invalid ephemeral argument 'format=ext4'"):
        parse_ephemeral("format=ext4")
