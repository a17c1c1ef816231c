"""Against real Flyway (the benchmark's jars, bench/fetch_flyway.sh; skipped without them or
java): the same Flyway-style set gives the same schema, and a database Flyway migrated half-way
is adopted (Flyway's recorded checksums checked) and finished by db-migrate.  PostgreSQL 18.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psycopg
import pytest

from db_migrate.engine.catalog import snapshot
from db_migrate.engine.errors import ChecksumDrift
from db_migrate.engine.options import ChecksumPolicy
from db_migrate.engine.report import Action
from tests.conftest import ROOT, Project
from tests.engine.test_apply import rows, run
from tests.pgservers import PgServer

FLYWAY_LIB = ROOT / "bench" / ".cache" / "flyway" / "lib"

pytestmark = pytest.mark.skipif(
    shutil.which("java") is None or not list(FLYWAY_LIB.glob("flyway-commandline-*.jar")),
    reason="Flyway jars missing (bench/fetch_flyway.sh) or no java")


def flyway(url: str, folder: Path, *extra: str) -> str:
    """``flyway migrate`` over TCP on the test server (it listens on 127.0.0.1 too)."""
    parts = urlsplit(url)
    port = parse_qs(parts.query)["port"][0]
    argv = ["java", "-cp", f"{FLYWAY_LIB}/*", "org.flywaydb.commandline.Main",
            f"-url=jdbc:postgresql://127.0.0.1:{port}{parts.path}", "-user=postgres",
            f"-locations=filesystem:{folder}", "-skipCheckForUpdate", *extra, "migrate"]
    env = {"PATH": "/usr/bin:/bin", "REDGATE_DISABLE_TELEMETRY": "true",
           "FLYWAY_TELEMETRY_OPTOUT": "true"}
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=180)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done.stdout


def flyway_set(project: Project) -> Path:
    """A layout as Flyway repositories have it: folders per release, dotted and underscored
    versions, CRLF and a BOM, a repeatable, and a template Flyway skips."""
    project.migration("db", "V1__accounts.sql",
                      "CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL);\n")
    project.migration("db", "release-1.1/V1.1__email.sql",
                      b"ALTER TABLE accounts ADD COLUMN email text;\r\n"
                      b"CREATE INDEX accounts_email ON accounts (email);\r\n")
    project.migration("db", "release-1.1/V1_1_1__seed.sql",
                      b"\xef\xbb\xbfINSERT INTO accounts VALUES (1, 'root', NULL);\n")
    project.migration("db", "release-2/V2__orders.sql",
                      "CREATE TABLE orders (id bigint PRIMARY KEY,\n"
                      "    account bigint REFERENCES accounts (id));")
    project.migration("db", "R__views.sql",
                      "CREATE OR REPLACE VIEW account_names AS SELECT name FROM accounts;\n")
    project.migration("db", "templates/new_tenant.sql", "CREATE SCHEMA tenant_template;\n")
    return project.migrations / "db"


def schema_without_history(url: str) -> object:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS flyway_schema_history, _schema_migrations")
        return snapshot(conn)


def test_a_flyway_set_run_unmodified_gives_the_schema_and_data_flyway_gives(
        project: Project, pg18: PgServer) -> None:
    folder = flyway_set(project)
    by_flyway, ours = pg18.create_database(), pg18.create_database()
    flyway(by_flyway, folder)
    report = run(project, ours)
    assert report.error is None and report.summary() == "5 applied, 0 skipped, 0 failed"
    assert str(report.current_version) == "2"
    assert len(report.warnings) == 1 and "templates/new_tenant.sql" in report.warnings[0]
    assert schema_without_history(by_flyway) == schema_without_history(ours)


def test_adopting_half_way_checks_flyways_checksums_and_applies_the_rest(
        project: Project, pg18: PgServer) -> None:
    folder = flyway_set(project)
    complete, half = pg18.create_database(), pg18.create_database()
    flyway(complete, folder)
    flyway(half, folder, "-target=1.1.1")
    adopted = run(project, half, action=Action.ADOPT)
    assert adopted.error is None, adopted.error
    assert adopted.baselined == 3 and str(adopted.current_version) == "1.1.1"
    assert [w for w in adopted.warnings if "changed after Flyway" in w] == []
    assert rows(half, "SELECT version, version_text FROM _schema_migrations "
                      "ORDER BY installed_rank") == [(1, None), (None, "1.1"), (None, "1.1.1")]
    rest = run(project, half)
    assert rest.error is None and rest.summary() == "2 applied, 3 skipped, 0 failed"
    assert schema_without_history(complete) == schema_without_history(half)


def test_a_file_edited_after_flyway_applied_it_follows_the_checksum_policy(
        project: Project, pg18: PgServer) -> None:
    folder = flyway_set(project)
    url = pg18.create_database()
    flyway(url, folder, "-target=1.1")
    edited = folder / "release-1.1" / "V1.1__email.sql"
    edited.write_bytes(edited.read_bytes() + b"-- reviewed\r\n")
    refused = run(project, url, action=Action.ADOPT, checksum_policy=ChecksumPolicy.FAIL)
    assert isinstance(refused.error, ChecksumDrift) and refused.exit_code == 2
    assert str(edited) in str(refused.error)
    assert rows(url, "SELECT to_regclass('_schema_migrations') IS NULL") == [(True,)]
    warned = run(project, url, action=Action.ADOPT)
    assert warned.error is None and warned.baselined == 2
    assert [w.split(" was changed")[0] for w in warned.warnings
            if "changed after Flyway" in w] == [str(edited)]
