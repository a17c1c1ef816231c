"""CRDs behave as on a real cluster: schema validation and the status subresource."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from kubernetes import client
from kubernetes.client.exceptions import ApiException

from testkit.controlplane import ControlPlane

pytestmark = pytest.mark.cluster

VERSION = "v1"
PLURAL = "widgets"


@dataclass(frozen=True)
class Crd:
    group: str
    body: Any


def widget_crd(group: str) -> dict[str, Any]:
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{PLURAL}.{group}"},
        "spec": {
            "group": group,
            "scope": "Namespaced",
            "names": {"plural": PLURAL, "singular": "widget", "kind": "Widget"},
            "versions": [
                {
                    "name": VERSION,
                    "served": True,
                    "storage": True,
                    "subresources": {"status": {}},
                    "schema": {
                        "openAPIV3Schema": {
                            "type": "object",
                            "properties": {
                                "spec": {
                                    "type": "object",
                                    "required": ["size"],
                                    "properties": {"size": {"type": "integer", "minimum": 1, "maximum": 10}},
                                },
                                "status": {
                                    "type": "object",
                                    "properties": {"phase": {"type": "string"}},
                                },
                            },
                        }
                    },
                }
            ],
        },
    }


def wait_established(ext: client.ApiextensionsV1Api, name: str) -> Any:
    deadline = time.monotonic() + 30
    while True:
        crd = ext.read_custom_resource_definition(name)
        found = (crd.status.conditions if crd.status else None) or []
        conditions = {c.type: c.status for c in found}
        if conditions.get("Established") == "True":
            return crd
        assert time.monotonic() < deadline, f"CRD {name} not Established: {conditions}"
        time.sleep(0.1)


@pytest.fixture(scope="module")
def crd(control_plane: ControlPlane) -> Iterator[Crd]:
    # A fresh API group per module: CRDs are cluster-scoped and the cluster may outlive a run.
    # One CRD for all tests here, because kube-apiserver delays the first create of a custom
    # object by 2 s when its CRD became Established less than 2 s earlier.
    group = f"w{secrets.token_hex(4)}.test.db-migrate.dev"
    ext = client.ApiextensionsV1Api(control_plane.api_client())
    body: Any = widget_crd(group)  # the client sends plain dicts as they are
    ext.create_custom_resource_definition(body)
    yield Crd(group, wait_established(ext, f"{PLURAL}.{group}"))
    ext.delete_custom_resource_definition(f"{PLURAL}.{group}")


def widget(name: str, size: Any) -> dict[str, Any]:
    return {"apiVersion": "", "kind": "Widget", "metadata": {"name": name}, "spec": {"size": size}}


def test_crd_with_status_subresource_is_accepted_and_separates_status_from_spec(
    control_plane: ControlPlane, k8s_namespace: str, crd: Crd
) -> None:
    assert crd.body.spec.versions[0].subresources.status == {}
    api = client.CustomObjectsApi(control_plane.api_client())
    coords = (crd.group, VERSION, k8s_namespace, PLURAL)
    body = widget("w1", 3) | {"apiVersion": f"{crd.group}/{VERSION}"}
    api.create_namespaced_custom_object(*coords, body)

    api.patch_namespaced_custom_object_status(*coords, "w1", {"status": {"phase": "Ready"}})
    # With a status subresource the main endpoint ignores status and /status ignores spec.
    api.patch_namespaced_custom_object(*coords, "w1", {"status": {"phase": "Hacked"}})
    api.patch_namespaced_custom_object_status(*coords, "w1", {"spec": {"size": 9}})

    stored: Any = api.get_namespaced_custom_object(*coords, "w1")
    assert stored["status"] == {"phase": "Ready"}
    assert stored["spec"] == {"size": 3}


@pytest.mark.parametrize("size", [0, 11, "big"])
def test_object_violating_the_schema_is_rejected_with_422(
    control_plane: ControlPlane, k8s_namespace: str, crd: Crd, size: Any
) -> None:
    api = client.CustomObjectsApi(control_plane.api_client())
    body = widget("bad", size) | {"apiVersion": f"{crd.group}/{VERSION}"}
    with pytest.raises(ApiException) as caught:
        api.create_namespaced_custom_object(crd.group, VERSION, k8s_namespace, PLURAL, body)
    assert caught.value.status == 422
    assert "spec.size" in str(caught.value.body)
