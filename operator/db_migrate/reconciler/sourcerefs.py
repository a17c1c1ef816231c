"""Which DatabaseMigrations read which ConfigMaps, so that a ConfigMap event wakes exactly those.

This was a kopf index (``@kopf.index``) until it deadlocked the operator: kopf holds every
handler back until each object listed at start-up has been indexed, while its
``queueing.worker_limit`` lets only that many objects have a worker. With more
DatabaseMigrations than the limit (32 with the default 4 workers) already in the cluster when
the operator started, the first 32 workers waited for the rest to be indexed, the rest waited
for a free worker, and nothing was ever reconciled (kopf issue 1243; a restarted operator in
any fleet). This map is filled by the DatabaseMigration event handler instead, which waits for
nothing.

Nothing is lost by not waiting: at start-up every DatabaseMigration is reconciled anyway (kopf
sees each as new, and the run reads its ConfigMaps fresh), so a ConfigMap event that arrives
before its readers are known has nothing to add. After a watch reconnect the readers are
already here. One instance per operator, used from kopf's event loop only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from db_migrate.reconciler.spec import parse

#: One label selector: its matchLabels as sorted (key, value) pairs.
Selector = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Reader:
    """What one DatabaseMigration reads: ConfigMaps by name and by label selector, and the
    source revisions its last run recorded (``status.sourceRevisions``)."""

    names: frozenset[str]
    selectors: tuple[Selector, ...]
    revisions: Mapping[str, str]

    def reads(self, configmap: str, labels: Mapping[str, str]) -> bool:
        if configmap in self.names:
            return True
        return any(selector and all(labels.get(k) == v for k, v in selector) for selector in self.selectors)


def reader(spec: Mapping[str, Any], status: Mapping[str, Any]) -> Reader | None:
    """The resource's reader, or None when it reads no ConfigMap (or its spec does not parse:
    the run reports that; no ConfigMap event can help it)."""
    try:
        parsed = parse(spec)
    except Exception:
        return None
    selections = parsed.source.selections()
    if not selections:
        return None
    names = frozenset(cm for s in selections for cm in s.names)
    selectors = tuple(tuple(sorted(s.match_labels.items())) for s in selections if s.match_labels)
    revisions = {str(k): str(v) for k, v in (status.get("sourceRevisions") or {}).items()}
    return Reader(names, selectors, revisions)


class SourceRefs:
    """namespace -> resource name -> :class:`Reader`."""

    def __init__(self) -> None:
        self._readers: dict[str, dict[str, Reader]] = {}

    def update(self, namespace: str, name: str, spec: Mapping[str, Any],
               status: Mapping[str, Any]) -> None:
        """Record (or replace) what the resource reads, from a watch event of it."""
        found = reader(spec, status)
        if found is None:
            self.forget(namespace, name)
            return
        self._readers.setdefault(namespace, {})[name] = found

    def forget(self, namespace: str, name: str) -> None:
        readers = self._readers.get(namespace)
        if readers is not None:
            readers.pop(name, None)
            if not readers:
                del self._readers[namespace]

    def readers(self, namespace: str, configmap: str,
                labels: Mapping[str, str]) -> dict[str, Mapping[str, str]]:
        """Resource name -> its recorded source revisions, for every resource of ``namespace``
        that reads ``configmap`` (by name, or by a selector its labels match)."""
        return {name: r.revisions for name, r in self._readers.get(namespace, {}).items()
                if r.reads(configmap, labels)}

    def __len__(self) -> int:
        return sum(len(r) for r in self._readers.values())
