"""planner.plan() directly: files against history rows, no server (its docstring's promise)."""

from __future__ import annotations

from datetime import UTC, datetime

from db_migrate.engine.discovery import MigrationSet, discover
from db_migrate.engine.history import HistoryRow
from db_migrate.engine.planner import State, plan
from db_migrate.engine.scripts import Kind, Script
from db_migrate.engine.seeds import SeedMode
from db_migrate.engine.source import MappingSource, SourceFile
from db_migrate.engine.version import Version

DB = "shop"


def files(migrations: dict[str, str], reference: dict[str, str] | None = None) -> MigrationSet:
    def as_files(named: dict[str, str]) -> list[SourceFile]:
        return [SourceFile(n, t.encode(), f"test {n}") for n, t in named.items()]
    seeds = {DB: {"reference": as_files(reference)}} if reference else {}
    return discover(MappingSource({DB: as_files(migrations)}, seeds), DB)


def applied(script: Script, *, success: bool = True, checksum: str | None = None,
            transactional: bool = True) -> HistoryRow:
    return HistoryRow(script.kind, script.key, script.version, script.seed_set, script.name,
                      script.description, checksum or script.checksum, success,
                      datetime(2026, 1, 1, tzinfo=UTC), "tester", "test", 1, transactional,
                      1, 1 if success else 0, None if success else "boom")


def history(*rows: HistoryRow) -> dict[tuple[Kind, str], HistoryRow]:
    return {(r.kind, r.key): r for r in rows}


THREE = {"V1__a.sql": "SELECT 1;", "V2__b.sql": "SELECT 2;", "V3__c.sql": "SELECT 3;"}


def test_an_empty_history_makes_every_file_pending_in_version_order() -> None:
    result = plan(files(THREE), {}, SeedMode.NONE)
    assert [(i.label, i.state) for i in result.items] == [
        ("V1__a.sql", State.PENDING), ("V2__b.sql", State.PENDING), ("V3__c.sql", State.PENDING)]
    assert len(result.to_run) == 3 and result.current_version() is None
    assert result.warnings == []


def test_applied_changed_failed_and_missing_rows_get_their_own_state() -> None:
    mset = files({"V1__a.sql": "SELECT 1;", "V2__b.sql": "SELECT 2;", "V3__c.sql": "SELECT 3;"})
    v1, v2, v3 = mset.migrations
    gone = HistoryRow(Kind.MIGRATION, "4", Version.of(4), None, "V4__gone.sql", "gone", "x", True,
                      datetime(2026, 1, 1, tzinfo=UTC), "tester", "test", 1, True, 1, 1, None)
    result = plan(mset, history(applied(v1), applied(v2, checksum="old"),
                                applied(v3, success=False), gone), SeedMode.NONE)
    states = {i.label: i.state for i in result.items}
    assert states == {"V1__a.sql": State.APPLIED, "V2__b.sql": State.MODIFIED,
                      "V3__c.sql": State.FAILED, "V4__gone.sql": State.MISSING}
    assert [i.label for i in result.to_run] == ["V3__c.sql"], "a failed file runs again"
    assert str(result.current_version()) == "4"
    assert any("V2__b.sql was changed after it was applied" in w for w in result.warnings)
    assert any("V4 (V4__gone.sql) is recorded as applied but its file is missing" in w
               for w in result.warnings)


def test_a_file_older_than_the_current_version_is_pending_with_an_out_of_order_warning() -> None:
    mset = files(THREE)
    v1, _, v3 = mset.migrations
    result = plan(mset, history(applied(v1), applied(v3)), SeedMode.NONE)
    assert [i.label for i in result.to_run] == ["V2__b.sql"]
    assert result.warnings == ["V2__b.sql is older than the current version V3; "
                               "it will be applied out of order"]


def test_a_target_holds_back_later_migrations_and_the_seeds() -> None:
    mset = files(THREE, reference={"countries.sql": "SELECT 'fr';"})
    result = plan(mset, {}, SeedMode.REFERENCE, target=Version.of(1))
    held = {i.label: i.held_back for i in result.items}
    assert held == {"V1__a.sql": False, "V2__b.sql": True, "V3__c.sql": True,
                    "reference/countries.sql": True}
    assert [i.label for i in result.to_run] == ["V1__a.sql"]
    assert {i.label: i.state for i in result.items}["V3__c.sql"] is State.PENDING
    assert any("seeds wait until every migration is applied" in w for w in result.warnings)


def test_a_changed_seed_runs_again_and_an_unchanged_one_does_not() -> None:
    mset = files({"V1__a.sql": "SELECT 1;"},
                 reference={"a.sql": "SELECT 'a';", "b.sql": "SELECT 'b';"})
    (v1,) = mset.migrations
    seed_a, seed_b = mset.seeds["reference"]
    result = plan(mset, history(applied(v1), applied(seed_a), applied(seed_b, checksum="old")),
                  SeedMode.REFERENCE)
    assert {i.label: i.state for i in result.items if i.kind is Kind.SEED} == {
        "reference/a.sql": State.APPLIED, "reference/b.sql": State.CHANGED}
    assert [i.label for i in result.to_run] == ["reference/b.sql"]


def test_seed_mode_none_plans_no_seed() -> None:
    mset = files({"V1__a.sql": "SELECT 1;"}, reference={"a.sql": "SELECT 'a';"})
    assert [i.kind for i in plan(mset, {}, SeedMode.NONE).items] == [Kind.MIGRATION]
