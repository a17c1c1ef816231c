"""Which DatabaseMigrations a ConfigMap event wakes (reconciler/sourcerefs.py), without a cluster."""

from __future__ import annotations

from typing import Any

from db_migrate.reconciler.sourcerefs import SourceRefs


def spec(migrations: dict[str, Any], **seeds: dict[str, Any]) -> dict[str, Any]:
    configmaps: dict[str, Any] = {"migrations": migrations}
    if seeds:
        configmaps["seeds"] = seeds
    return {"database": "orders", "connection": {"urlSecretRef": {"name": "pg"}},
            "source": {"configMaps": configmaps}}


def test_a_configmap_wakes_the_resources_naming_it_with_their_recorded_revisions() -> None:
    refs = SourceRefs()
    refs.update("ns", "a", spec({"names": ["sql"]}), {"sourceRevisions": {"ConfigMap/sql": "7"}})
    refs.update("ns", "b", spec({"names": ["other"]}), {})
    assert refs.readers("ns", "sql", {}) == {"a": {"ConfigMap/sql": "7"}}
    assert refs.readers("elsewhere", "sql", {}) == {}


def test_every_selector_of_a_resource_is_matched_not_only_the_last() -> None:
    refs = SourceRefs()
    refs.update("ns", "a", spec({"selector": {"matchLabels": {"set": "m"}}},
                                reference={"selector": {"matchLabels": {"set": "ref"}}}), {})
    assert set(refs.readers("ns", "any", {"set": "m"})) == {"a"}
    assert set(refs.readers("ns", "any", {"set": "ref", "x": "y"})) == {"a"}
    assert refs.readers("ns", "any", {"set": "sample"}) == {}


def test_a_spec_change_replaces_what_the_resource_reads_and_deletion_forgets_it() -> None:
    refs = SourceRefs()
    refs.update("ns", "a", spec({"names": ["sql-1"]}), {})
    refs.update("ns", "a", spec({"names": ["sql-2"]}), {})
    assert refs.readers("ns", "sql-1", {}) == {}
    assert set(refs.readers("ns", "sql-2", {})) == {"a"}
    refs.forget("ns", "a")
    assert refs.readers("ns", "sql-2", {}) == {} and len(refs) == 0


def test_a_resource_reading_no_configmap_or_with_a_broken_spec_is_not_kept() -> None:
    refs = SourceRefs()
    refs.update("ns", "image", {"database": "orders", "connection": {"urlSecretRef": {"name": "pg"}}}, {})
    refs.update("ns", "broken", {"database": 7}, {})
    assert len(refs) == 0
