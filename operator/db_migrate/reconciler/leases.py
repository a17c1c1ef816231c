"""The operator's member Leases (``coordination.k8s.io/v1``), behind one small protocol.

Each replica keeps one Lease of its own in the Lease namespace; the live members are read by
listing the Leases with the operator's label (:mod:`shards` decides what they mean).  The
protocol keeps :class:`shards.Membership` testable with an in-memory fake and a fake clock.

RBAC: ``get, create, update, list, delete`` on ``leases`` in the Lease namespace only (a Role,
deploy/base/lease-role.yaml).  ``list`` is how a replica sees its peers; ``delete`` lets a
replica that stops remove its own Lease (its peers take over at once) and remove Leases that
expired long ago (a killed process never removes its own).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from kubernetes import client
from kubernetes.client.exceptions import ApiException

from db_migrate.reconciler.kube import _api_client, api_call


class LeaseForbidden(Exception):
    """HTTP 403 on a Lease request: the operator's RBAC has no Leases (run standalone)."""


@dataclass(frozen=True)
class LeaseRecord:
    name: str
    #: spec.holderIdentity: the member's identity (what is hashed).
    holder: str
    #: spec.renewTime as Unix seconds.
    renewed_at: float
    duration_s: float

    def expires_at(self) -> float:
        return self.renewed_at + self.duration_s


class Leases(Protocol):
    """What :class:`shards.Membership` needs (:class:`KubeLeases` is the real one)."""

    def put(self, record: LeaseRecord, labels: Mapping[str, str]) -> None:
        """Create the Lease or renew it (the replica's own Lease only)."""

    def list(self, label_selector: str) -> list[LeaseRecord]: ...

    def delete(self, name: str) -> None:
        """Delete a Lease; one already gone is not an error."""


def micro_time(seconds: float) -> datetime:
    """A Lease's MicroTime. The client writes it with ``isoformat()``, which drops the
    fraction when it is zero, and the API server then refuses it (it wants six digits)."""
    moment = datetime.fromtimestamp(seconds, UTC)
    return moment if moment.microsecond else moment.replace(microsecond=1)


@contextlib.contextmanager
def _forbidden_as_error(what: str) -> Iterator[None]:
    try:
        with api_call(what):
            yield
    except ApiException as exc:
        if exc.status == 403:
            raise LeaseForbidden(f"{what}: HTTP 403 {exc.reason}") from None
        raise


class KubeLeases:
    """:class:`Leases` in one namespace through the official client."""

    def __init__(self, namespace: str, api_client: client.ApiClient | None = None) -> None:
        self.namespace = namespace
        self._api_client = api_client
        #: name -> resourceVersion of our last write: Lease updates must carry it (the API
        #: server refuses an unconditional update of a Lease).
        self._versions: dict[str, str] = {}

    @functools.cached_property
    def api(self) -> client.CoordinationV1Api:
        # On first use, not when the operator module is imported (that reads no kubeconfig).
        return client.CoordinationV1Api(self._api_client or _api_client())

    def _body(self, record: LeaseRecord, labels: Mapping[str, str]) -> client.V1Lease:
        return client.V1Lease(
            api_version="coordination.k8s.io/v1", kind="Lease",
            metadata=client.V1ObjectMeta(name=record.name, labels=dict(labels),
                                         resource_version=self._versions.get(record.name)),
            spec=client.V1LeaseSpec(holder_identity=record.holder,
                                    lease_duration_seconds=max(1, round(record.duration_s)),
                                    renew_time=micro_time(record.renewed_at)))

    def put(self, record: LeaseRecord, labels: Mapping[str, str]) -> None:
        with _forbidden_as_error(f"cannot write Lease {self.namespace}/{record.name}"):
            if record.name not in self._versions:
                try:
                    self._remember(self.api.read_namespaced_lease(record.name, self.namespace),
                                   record.name)
                except ApiException as exc:
                    if exc.status != 404:
                        raise
                    self._remember(self.api.create_namespaced_lease(
                        self.namespace, self._body(record, labels)), record.name)
                    return
            try:
                self._remember(self.api.replace_namespaced_lease(
                    record.name, self.namespace, self._body(record, labels)), record.name)
            except ApiException as exc:
                if exc.status not in (404, 409):
                    raise
                # Deleted (expired long ago and collected by a peer) or written elsewhere:
                # read it again on the next renewal.
                self._versions.pop(record.name, None)
                if exc.status == 404:
                    self._remember(self.api.create_namespaced_lease(
                        self.namespace, self._body(record, labels)), record.name)

    def _remember(self, lease: client.V1Lease, name: str) -> None:
        meta = lease.metadata or client.V1ObjectMeta()
        self._versions[name] = str(meta.resource_version or "")

    def list(self, label_selector: str) -> list[LeaseRecord]:
        with _forbidden_as_error(f"cannot list Leases in {self.namespace}"):
            listed = self.api.list_namespaced_lease(self.namespace, label_selector=label_selector)
        out = []
        for lease in listed.items:
            spec, meta = lease.spec, lease.metadata
            if spec is None or spec.renew_time is None or meta is None:
                continue
            out.append(LeaseRecord(name=str(meta.name),
                                   holder=str(spec.holder_identity or meta.name),
                                   renewed_at=spec.renew_time.timestamp(),
                                   duration_s=float(spec.lease_duration_seconds or 0)))
        return out

    def delete(self, name: str) -> None:
        with _forbidden_as_error(f"cannot delete Lease {self.namespace}/{name}"):
            try:
                self.api.delete_namespaced_lease(name, self.namespace)
            except ApiException as exc:
                if exc.status != 404:
                    raise
        self._versions.pop(name, None)
