"""spec.targetVersion and spec.baseline.version: in the CRD schema and parsed into RunOptions."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from db_migrate.engine.options import OutOfOrderPolicy
from db_migrate.engine.version import Version
from db_migrate.reconciler.spec import InvalidSpec, parse
from testkit.controlplane import ControlPlane
from tests.shipping.helpers import CRD_PATH
from tests.shipping.test_shipping_cluster import CRD_NAME, apply, get, minimal
from tests.shipping.test_shipping_crd import SHIPPED, validator

BASE = {"database": "app", "connection": {"urlSecretRef": {"name": "db"}}}


def example() -> dict[str, Any]:
    obj = copy.deepcopy(dict(SHIPPED)["deploy/examples/postgres.yaml:postgres"])
    assert isinstance(obj, dict)
    return obj


def test_schema_accepts_a_target_version_and_a_baseline(crd_schema: dict[str, Any]) -> None:
    obj = example()
    obj["spec"]["targetVersion"] = 12
    obj["spec"]["baseline"] = {"version": 7}
    assert list(validator(crd_schema).iter_errors(obj)) == []


@pytest.mark.parametrize(("path", "bad"), [
    ("targetVersion", 0), ("targetVersion", "1.2-x"), ("targetVersion", 1.5), ("baseline", {}),
    ("baseline", {"version": -1}), ("baseline", {"version": "v3"}),
    ("baseline", {"version": 3, "extra": 1}),
])
def test_schema_rejects_bad_versions(crd_schema: dict[str, Any], path: str, bad: Any) -> None:
    obj = example()
    obj["spec"][path] = bad
    assert list(validator(crd_schema).iter_errors(obj)), f"spec.{path}={bad!r} accepted"


def test_spec_passes_target_and_baseline_to_the_engine() -> None:
    options = parse({**BASE, "targetVersion": 12, "baseline": {"version": 7}}).run_options("op")
    assert (options.target_version, options.baseline_version) == (Version.of(12), Version.of(7))
    unset = parse(BASE).run_options("op")
    assert (unset.target_version, unset.baseline_version) == (None, None)


def test_spec_refuses_a_version_the_schema_would_have_refused() -> None:
    with pytest.raises(InvalidSpec, match=r"spec\.baseline\.version"):
        parse({**BASE, "baseline": {"version": "7-x"}})
    with pytest.raises(InvalidSpec, match=r"spec\.targetVersion"):
        parse({**BASE, "targetVersion": 0})


def test_schema_and_spec_accept_flyway_versions_as_strings_and_integers_still(
        crd_schema: dict[str, Any]) -> None:
    obj = example()
    obj["spec"]["targetVersion"] = "1.46.12"
    obj["spec"]["baseline"] = {"version": "2023_01_15"}
    obj["spec"]["outOfOrder"] = "fail"
    assert list(validator(crd_schema).iter_errors(obj)) == []
    options = parse({**BASE, "targetVersion": "1.46.12", "baseline": {"version": 7},
                     "outOfOrder": "fail"}).run_options("op")
    assert (str(options.target_version), str(options.baseline_version)) == ("1.46.12", "7")
    assert options.out_of_order is OutOfOrderPolicy.FAIL
    assert parse(BASE).run_options("op").out_of_order is OutOfOrderPolicy.WARN


# ------------------------------------------------------------------ the real API server's verdict

@pytest.mark.cluster
def test_api_server_keeps_target_and_baseline_and_rejects_bad_ones(
        control_plane: ControlPlane, k8s_namespace: str) -> None:
    control_plane.kubectl("apply", "--server-side", "--force-conflicts", "-f", str(CRD_PATH))
    control_plane.kubectl("wait", "--for=condition=Established", f"crd/{CRD_NAME}",
                          "--timeout=60s")
    good = apply(control_plane, k8s_namespace,
                 minimal("staged", targetVersion=12, baseline={"version": 7}))
    assert good.returncode == 0, good.stderr
    spec = get(control_plane, k8s_namespace, "staged")["spec"]
    assert (spec["targetVersion"], spec["baseline"]) == (12, {"version": 7})
    dotted = apply(control_plane, k8s_namespace,
                   minimal("dotted", targetVersion="1.46.12", baseline={"version": "2023_01"},
                           outOfOrder="fail"))
    assert dotted.returncode == 0, dotted.stderr
    spec = get(control_plane, k8s_namespace, "dotted")["spec"]
    assert (spec["targetVersion"], spec["baseline"], spec["outOfOrder"]) == (
        "1.46.12", {"version": "2023_01"}, "fail")
    for bad, complaint in (({"targetVersion": 0}, "spec.targetVersion"),
                           ({"targetVersion": "1.2-x"}, "spec.targetVersion"),
                           ({"outOfOrder": "ignore"}, "spec.outOfOrder"),
                           ({"baseline": {}}, "spec.baseline.version")):
        result = apply(control_plane, k8s_namespace, minimal("bad", **bad))
        assert result.returncode != 0 and complaint in result.stderr, result.stderr
