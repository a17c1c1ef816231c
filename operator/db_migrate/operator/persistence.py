"""kopf's bookkeeping without API writes on the usual path.

kopf keeps two things per resource: the *diff base* (the last handled spec, labels and
annotations: what tells an update from a no-op) and each handler's *progress* (retries of a
handler that raised). With kopf's annotation storages a new resource cost one PATCH of its own
(the diff base and a ``kopf-managed`` marker) beside the run's status patch and event, and every
spec change one more (docs/operator.md, "What one run writes").

* The diff base lives in this process (:class:`LastHandled`), keyed by the resource's uid. A
  process that starts, or a replica that takes a resource over, has none: kopf then sees a
  creation and the handler runs, as ``on.resume`` ran it before; the run finds the status
  verified and only reads the history table.
* The progress stays in annotations (kopf's retry of a handler that raised, and its wake-up
  "touch", need the object), but kopf no longer adds its marker annotation when a handler
  succeeds at once (:class:`ProgressAnnotations`): the record it would store is purged in the
  same cycle, so nothing is left to patch.

:func:`install` puts both into kopf's settings; the startup handler ``handlers.configure``
calls it, the one place that sets kopf's persistence (no second startup handler that must run
after it).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from typing import Any, cast

import kopf

from db_migrate.reconciler.spec import GROUP, PLURAL, VERSION

#: The annotation prefix of kopf's bookkeeping (its progress records, the old finalizer). kopf
#: ignores annotations under its storage prefix when diffing, so it must differ from the one of
#: the trigger annotation (runtime.SOURCE_REVISION, under ``migrations.es1.dev/``).
PREFIX = f"operator.{GROUP}"


class LastHandled(kopf.DiffBaseStorage):
    """The essence kopf last handled, per resource uid, as compact JSON (no annotation).

    Entries go when the resource is deleted (:func:`forget_deleted`)."""

    def __init__(self, ignored_fields: Iterable[Any] | None = None) -> None:
        super().__init__(ignored_fields=ignored_fields)
        self._essences: dict[str, str] = {}
        self._lock = threading.Lock()

    def fetch(self, *, body: kopf.Body) -> kopf.BodyEssence | None:
        with self._lock:
            encoded = self._essences.get(str(body.metadata.uid))
        return cast(kopf.BodyEssence, json.loads(encoded)) if encoded is not None else None

    def store(self, *, body: kopf.Body, patch: kopf.Patch, essence: kopf.BodyEssence) -> None:
        encoded = json.dumps(essence, separators=(",", ":"))
        with self._lock:
            self._essences[str(body.metadata.uid)] = encoded

    def forget(self, uid: str) -> None:
        with self._lock:
            self._essences.pop(uid, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._essences)


class ProgressAnnotations(kopf.AnnotationsProgressStorage):
    """kopf's handler progress in annotations under our prefix, without its marker.

    kopf's storages mark the prefix (``<prefix>/kopf-managed``) so that other kopf operators
    leave those annotations out of their diff base; kopf documents custom storages as the way
    not to write it. Our diff base is not an annotation and our progress records are cleared
    from kopf's essence by the storage itself, so the marker only cost a write per resource."""

    def _store_marker(self, prefix: str, patch: kopf.Patch, body: kopf.Body) -> None:
        return None


#: This process's diff bases (one per operator process).
LAST_HANDLED = LastHandled()


def install(settings: kopf.OperatorSettings) -> None:
    """Our storages, under our prefix, so kopf's bookkeeping is recognisably ours."""
    settings.persistence.diffbase_storage = LAST_HANDLED
    settings.persistence.progress_storage = ProgressAnnotations(prefix=PREFIX)
    # No handler needs a finalizer now (the drift timer asked for one); kopf removes this one
    # from resources that still carry it, so they stay deletable.
    settings.persistence.finalizer = f"{PREFIX}/finalizer"


def _deleted(type: str | None, **_: Any) -> bool:
    return type == "DELETED"


# Filtered, not tested inside: kopf runs an unfiltered event handler for every watch event of
# every resource on every replica (owned or not) and logs "Handler 'forget_deleted' succeeded."
# each time: at 1,000 resources and 3 replicas, thousands of lines per rollout.
@kopf.on.event(GROUP, VERSION, PLURAL, when=_deleted)
async def forget_deleted(type: str | None, uid: str | None, **_: Any) -> None:
    if uid:
        LAST_HANDLED.forget(str(uid))
