"""Databases Flyway migrated: refuse to re-apply, import flyway_schema_history (PG 18 and 15)."""

from __future__ import annotations

from db_migrate.engine.errors import ChecksumDrift, InvalidInput
from db_migrate.engine.flyway import FlywayHistoryFound
from db_migrate.engine.flyway_checksum import crc32
from db_migrate.engine.options import ChecksumPolicy
from db_migrate.engine.planner import State
from db_migrate.engine.report import Action
from db_migrate.engine.version import Version
from tests.conftest import Project
from tests.engine.test_apply import rows, run, table_exists
from tests.engine.test_legacy_history import execute

# The table as Flyway 10 creates it on PostgreSQL.
FLYWAY_DDL = """
CREATE TABLE "public"."flyway_schema_history" (
    "installed_rank" INT NOT NULL,
    "version" VARCHAR(50),
    "description" VARCHAR(200) NOT NULL,
    "type" VARCHAR(20) NOT NULL,
    "script" VARCHAR(1000) NOT NULL,
    "checksum" INTEGER,
    "installed_by" VARCHAR(100) NOT NULL,
    "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
    "execution_time" INTEGER NOT NULL,
    "success" BOOLEAN NOT NULL
);
ALTER TABLE "public"."flyway_schema_history"
    ADD CONSTRAINT "flyway_schema_history_pk" PRIMARY KEY ("installed_rank");
CREATE INDEX "flyway_schema_history_s_idx" ON "public"."flyway_schema_history" ("success");
"""


def flyway_row(rank: int, version: str | None, script: str, *, kind: str = "SQL",
               success: bool = True, checksum: int | None = None) -> str:
    """A row as Flyway writes it; the checksum defaults to Flyway's for the body files()
    writes for that version (``CREATE TABLE t<n> (id int);``)."""
    v = "NULL" if version is None else f"'{version}'"
    if checksum is None and version is not None and version.isdigit():
        checksum = crc32(f"CREATE TABLE t{int(version)} (id int);")
    ck = "NULL" if checksum is None else str(checksum)
    return (f"INSERT INTO flyway_schema_history VALUES ({rank}, {v}, 'd', '{kind}', '{script}', "
            f"{ck}, 'flyway', now(), 5, {str(success).lower()});")


def files(project: Project) -> None:
    for n in range(1, 6):
        project.migration("db", f"V{n}__t{n}.sql", f"CREATE TABLE t{n} (id int);")


def test_a_first_run_on_a_flyway_database_refuses_to_apply_everything_again(
        project: Project, db_url: str) -> None:
    files(project)
    execute(db_url, "CREATE TABLE t1 (id int);" + FLYWAY_DDL + flyway_row(1, "1", "V1__t1.sql"))
    report = run(project, db_url)
    assert isinstance(report.error, FlywayHistoryFound) and report.exit_code == 2
    assert str(report.error) == (
        "db: this database was migrated by Flyway (public.flyway_schema_history holds 1 applied "
        "version(s)) and db-migrate has no history here yet; running would apply every "
        "migration again. Import Flyway's history first: db-migrate adopt --from flyway "
        "--database db")
    assert not table_exists(db_url, "_schema_migrations")
    status = run(project, db_url, action=Action.STATUS)
    assert status.error is None and any("migrated by Flyway" in w for w in status.warnings)


def test_adopt_imports_successful_versions_reports_failed_ones_and_skips_repeatables(
        project: Project, db_url: str) -> None:
    files(project)
    execute(db_url, "CREATE TABLE t1 (id int); CREATE TABLE t2 (id int);" + FLYWAY_DDL
            + flyway_row(1, "1", "V1__t1.sql") + flyway_row(2, "002", "V002__t2.sql")
            + flyway_row(3, "3", "V3__t3.sql", success=False)
            + flyway_row(4, None, "R__views.sql"))
    report = run(project, db_url, action=Action.ADOPT)
    assert report.error is None, report.error
    assert report.baselined == 2 and report.current_version == Version.of(2)
    assert report.notes[0] == (
        "imported 2 applied version(s) from public.flyway_schema_history (V1..V2), Flyway's "
        "checksums checked against the files; Flyway's table is unchanged")
    assert report.notes[1] == "1 repeatable migration(s) not imported: R__views.sql"
    assert report.warnings == [
        "V3 (V3__t3.sql) failed under Flyway; not imported, the next run applies it"]
    imported = rows(db_url, "SELECT version, script, runner, checksum FROM _schema_migrations "
                            "ORDER BY version")
    assert [(v, s, r) for v, s, r, _ in imported] == [
        (1, "V1__t1.sql", "db-migrate imported"), (2, "V2__t2.sql", "db-migrate imported")]
    status = run(project, db_url, action=Action.STATUS)
    assert [r.item.state for r in status.items] == [State.APPLIED] * 2 + [State.PENDING] * 3
    assert status.warnings == []  # Flyway's checksums matched: no drift
    assert run(project, db_url).applied == 3
    assert rows(db_url, "SELECT count(*) FROM flyway_schema_history") == [(4,)]


def test_a_flyway_baseline_row_covers_the_files_up_to_its_version(
        project: Project, db_url: str) -> None:
    files(project)
    execute(db_url, "CREATE TABLE t1 (id int); CREATE TABLE t2 (id int); CREATE TABLE t3 (id int);"
            + FLYWAY_DDL + flyway_row(1, "2", "<< Flyway Baseline >>", kind="BASELINE")
            + flyway_row(2, "3", "V3__t3.sql"))
    report = run(project, db_url, action=Action.ADOPT)
    assert report.error is None, report.error
    assert [r[0] for r in rows(db_url, "SELECT version FROM _schema_migrations ORDER BY 1")] == [
        1, 2, 3]
    assert run(project, db_url).summary() == "2 applied, 3 skipped, 0 failed"


def test_adopt_imports_dotted_flyway_versions_and_shows_them_as_flyway_does(
        project: Project, db_url: str) -> None:
    bodies = {"V1__a.sql": "CREATE TABLE a (id int);", "V1.1__b.sql": "CREATE TABLE b (id int);",
              "V1_2_3__c.sql": "CREATE TABLE c (id int);", "V1.46.12__d.sql": "SELECT 1;"}
    for name, body in bodies.items():
        project.migration("db", name, body)
    execute(db_url, "CREATE TABLE a (id int); CREATE TABLE b (id int);" + FLYWAY_DDL
            + flyway_row(1, "1", "V1__a.sql", checksum=crc32(bodies["V1__a.sql"]))
            + flyway_row(2, "1.1", "V1.1__b.sql", checksum=crc32(bodies["V1.1__b.sql"])))
    report = run(project, db_url, action=Action.ADOPT)
    assert report.error is None, report.error
    assert report.baselined == 2 and str(report.current_version) == "1.1"
    assert report.warnings == []
    assert rows(db_url, "SELECT script_key, version, version_text, script FROM _schema_migrations "
                        "ORDER BY installed_rank") == [
        ("1", 1, None, "V1__a.sql"), ("1.1", None, "1.1", "V1.1__b.sql")]
    applied = run(project, db_url)
    assert applied.error is None and applied.summary() == "2 applied, 2 skipped, 0 failed"
    assert str(applied.current_version) == "1.46.12"
    assert [str(r.item.version) for r in applied.items] == ["1", "1.1", "1.2.3", "1.46.12"]


def test_a_file_edited_after_flyway_applied_it_is_named_and_imported_as_modified(
        project: Project, db_url: str) -> None:
    files(project)
    execute(db_url, "CREATE TABLE t1 (id int); CREATE TABLE t2 (id int);" + FLYWAY_DDL
            + flyway_row(1, "1", "V1__t1.sql")
            + flyway_row(2, "2", "V2__t2.sql", checksum=crc32("CREATE TABLE t2 (id bigint);")))
    report = run(project, db_url, action=Action.ADOPT)
    assert report.error is None and report.baselined == 2
    origin = str(project.migrations / "db" / "V2__t2.sql")
    assert report.warnings == [
        f"{origin} was changed after Flyway applied it: Flyway recorded checksum "
        f"{crc32('CREATE TABLE t2 (id bigint);')}, the file gives "
        f"{crc32('CREATE TABLE t2 (id int);')} (flyway validate reports it too); imported as "
        "applied, --status shows it modified"]
    status = run(project, db_url, action=Action.STATUS)
    assert [r.item.state for r in status.items][:2] == [State.APPLIED, State.MODIFIED]
    # Like a file edited after db-migrate applied it: the fail policy then refuses to run.
    refused = run(project, db_url, checksum_policy=ChecksumPolicy.FAIL)
    assert isinstance(refused.error, ChecksumDrift) and refused.exit_code == 2
    # Restored to what Flyway applied: no longer modified.
    project.migration("db", "V2__t2.sql", "CREATE TABLE t2 (id bigint);")
    restored = run(project, db_url, action=Action.STATUS)
    assert [r.item.state for r in restored.items][:2] == [State.APPLIED, State.APPLIED]
    assert restored.warnings == []


def test_checksum_policy_fail_refuses_the_import_and_lists_every_edited_file(
        project: Project, db_url: str) -> None:
    files(project)
    execute(db_url, FLYWAY_DDL + flyway_row(1, "1", "V1__t1.sql", checksum=1)
            + flyway_row(2, "2", "V2__t2.sql") + flyway_row(3, "3", "V3__t3.sql", checksum=3))
    report = run(project, db_url, action=Action.ADOPT, checksum_policy=ChecksumPolicy.FAIL)
    assert isinstance(report.error, ChecksumDrift) and report.exit_code == 2
    folder = project.migrations / "db"
    assert str(report.error) == (
        f"db: files changed after Flyway applied them ({folder / 'V1__t1.sql'}, "
        f"{folder / 'V3__t3.sql'}: their checksum differs from Flyway's) and the checksum "
        "policy is 'fail'; nothing was imported")
    assert not table_exists(db_url, "_schema_migrations")


def test_a_flyway_version_that_is_not_one_is_refused(project: Project, db_url: str) -> None:
    files(project)
    execute(db_url, FLYWAY_DDL + flyway_row(1, "1.a", "V1_a__x.sql"))
    report = run(project, db_url, action=Action.ADOPT)
    assert isinstance(report.error, InvalidInput) and report.exit_code == 2
    assert str(report.error) == ("db: public.flyway_schema_history has versions that are not "
                                 "numbers separated by dots: version '1.a' (V1_a__x.sql)")
    assert not table_exists(db_url, "_schema_migrations")


def test_a_flyway_baseline_migration_row_covers_the_v_files_up_to_its_version(
        project: Project, db_url: str) -> None:
    """Flyway started this database from B3__baseline.sql (type SQL_BASELINE), not V1..V3."""
    files(project)
    project.migration("db", "B3__baseline.sql", "CREATE TABLE t1 (id int);")
    execute(db_url, "CREATE TABLE t1 (id int); CREATE TABLE t2 (id int); CREATE TABLE t3 (id int);"
            + FLYWAY_DDL + flyway_row(1, "3", "B3__baseline.sql", kind="SQL_BASELINE",
                                      checksum=crc32("CREATE TABLE t1 (id int);")))
    report = run(project, db_url, action=Action.ADOPT)
    assert report.error is None and report.baselined == 3, report.error
    assert report.warnings == [
        f"Flyway baseline migration(s) not run: {project.migrations / 'db' / 'B3__baseline.sql'}; "
        "db-migrate applies the V files instead, so a new database needs every V file from the "
        "first one (a database Flyway started from the baseline is imported with adopt --from "
        "flyway)"]
    assert run(project, db_url).summary() == "2 applied, 3 skipped, 0 failed"


def test_a_database_flyway_started_from_a_baseline_migration_continues_after_adoption(
        project: Project, db_url: str) -> None:
    """As in eclipse-hawkbit: B1_20_0 replaced every V file before it; Flyway ran only B."""
    project.migration("db", "B1_20_0__baseline.sql", "CREATE TABLE a (id int);")
    project.migration("db", "V1_20_1__more.sql", "ALTER TABLE a ADD COLUMN IF NOT EXISTS b int;")
    execute(db_url, "CREATE TABLE a (id int);" + FLYWAY_DDL
            + flyway_row(1, "1.20.0", "sql/B1_20_0__baseline.sql", kind="SQL_BASELINE",
                         checksum=7))
    adopted = run(project, db_url, action=Action.ADOPT)
    assert adopted.error is None and adopted.baselined == 1, adopted.error
    assert str(adopted.current_version) == "1.20.0"
    rest = run(project, db_url)
    assert rest.error is None and rest.summary() == "1 applied, 1 skipped, 0 failed"
    assert [(r.item.label, r.item.state) for r in rest.items] == [
        ("V1_20_1__more.sql", State.PENDING), ("sql/B1_20_0__baseline.sql", State.APPLIED)]
    assert [w for w in rest.warnings if "missing" in w] == []
