"""What the Ray executor takes from Ray outside its public API, checked against the Ray installed.

``studylog.execute.ray_connect`` is the one module that reaches into ``ray._private``
(the address ``ray start`` recorded; the switch that binds a local instance to
127.0.0.1). An upgrade of Ray that moves either fails here, saying which, rather than
making a build join the wrong instance or listen on every interface.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from studylog.execute.ray_connect import address, loopback_only, recorded_address

ray = pytest.importorskip("ray", reason="Ray is the test extra's (pip install -e '.[test]')")


def test_the_address_ray_start_records_is_read(tmp_path: Path) -> None:
    from ray._private.utils import write_ray_address  # how `ray start` records it

    assert recorded_address(str(tmp_path)) is None
    write_ray_address("127.0.0.1:6543", str(tmp_path))
    assert recorded_address(str(tmp_path)) == "127.0.0.1:6543"


def test_the_loopback_switch_still_decides_the_address_ray_binds() -> None:
    from ray._private import ray_constants, services

    before = ray_constants.ENABLE_RAY_CLUSTER
    try:
        with loopback_only():
            assert services.get_node_ip_address() == "127.0.0.1"
    finally:
        ray_constants.ENABLE_RAY_CLUSTER = before


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("10.0.0.5:6379", "10.0.0.5:6379"),
        (" ray://head:10001 ", "ray://head:10001"),
        ("auto", "auto"),
        ("", None),
        (None, None),
    ],
)
def test_a_ray_address_is_host_and_port(given: object, kept: str | None) -> None:
    assert address(given) == kept


@pytest.mark.parametrize("given", ["head", "head:0", "head:port", 6379, "ray://:1"])
def test_a_bad_ray_address_says_what_to_write(given: object) -> None:
    with pytest.raises(ValueError, match=r"such as 10\.0\.0\.5:6379"):
        address(given)
