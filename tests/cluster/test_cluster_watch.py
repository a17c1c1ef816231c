"""Watches deliver changes, as kopf relies on."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from kubernetes import client, watch

from testkit.controlplane import ControlPlane

pytestmark = pytest.mark.cluster


def test_watch_delivers_an_update(control_plane: ControlPlane, k8s_namespace: str) -> None:
    core = client.CoreV1Api(control_plane.api_client())
    created = core.create_namespaced_config_map(
        k8s_namespace,
        client.V1ConfigMap(metadata=client.V1ObjectMeta(name="watched"), data={"value": "1"}),
    )
    assert created.metadata is not None

    def update() -> None:
        core.patch_namespaced_config_map("watched", k8s_namespace, {"data": {"value": "2"}})

    # The watch starts at the creation's resourceVersion, so it receives the update
    # whether the patch lands before or after the stream is open: no timing involved.
    updater = threading.Thread(target=update)
    updater.start()
    seen: list[tuple[str, Any]] = []
    stream = watch.Watch()  # type: ignore[no-untyped-call]
    for event in stream.stream(  # type: ignore[no-untyped-call]
        core.list_namespaced_config_map,
        k8s_namespace,
        resource_version=created.metadata.resource_version,
        field_selector="metadata.name=watched",
        timeout_seconds=30,
    ):
        seen.append((event["type"], event["object"].data))
        if event["type"] == "MODIFIED":
            stream.stop()  # type: ignore[no-untyped-call]
    updater.join()
    assert seen == [("MODIFIED", {"value": "2"})]
