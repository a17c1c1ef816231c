"""Four public Flyway repositories for PostgreSQL, run unmodified by real Flyway and by db-migrate.

The sets are kept in ``tests/engine/flyway_repos/<name>/`` exactly as they are in git (real file
names, folders, placeholders, neighbouring files Flyway skips); each folder's README says where
they come from, at which commit, and under which licence. Flyway 11.20.3 (the benchmark's jars,
``bench/fetch_flyway.sh``) is the reference: it migrates one server, the CLI (a real process)
migrates another of the same major, with the placeholder values and the Flyway settings the
project itself uses. Then ``pg_dump --schema-only``, ``pg_dump --data-only`` (history tables left
out) and ``pg_dumpall --roles-only`` must be byte-identical.

Each major gets two fresh servers, one per tool, because roles are cluster-wide: the ``bfd`` set
creates 18 roles under fixed names (no placeholder to rename them), and its baseline only grants to
``rds_superuser`` when it had to create that role itself. On one shared server the second tool
would meet the first tool's roles and take the other branch. Two servers give both runs the same
starting point, so the role dump is compared whole, attributes and memberships included, not
filtered. ``pg_dump --restrict-key`` fixes the ``\\restrict`` key newer pg_dump writes; nothing else
is normalised (a plain dump names no database).

Also here, on the shared servers of ``tests/conftest.py`` (PostgreSQL 18 and 15): a DSpace database
Flyway migrated half-way is adopted (``adopt --from flyway --checksum-policy fail``) and finished
by db-migrate; a file edited after Flyway applied it; and conductor's optional
``migration_postgres_notify`` location enabled after the others were applied (out of order).
"""

from __future__ import annotations

import difflib
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psycopg
import pytest
from psycopg import sql

from testkit import pgserver
from tests.conftest import IN_CI, ROOT, CliResult, run_cli
from tests.pgservers import PgServer

FLYWAY_LIB = ROOT / "bench" / ".cache" / "flyway" / "lib"
REPOS = Path(__file__).resolve().parent / "flyway_repos"
# pg_dump 18 dumps PostgreSQL 15 as well; one client for both majors keeps the dumps comparable.
PG_BIN = pgserver.embedded_pg18().bin_dir

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("java") is None,
                       reason="no java: real Flyway needs Java 17 (apt-get install openjdk-17-jre)"),
    pytest.mark.skipif(not list(FLYWAY_LIB.glob("flyway-commandline-*.jar")),
                       reason=f"Flyway jars missing in {FLYWAY_LIB} (run bench/fetch_flyway.sh)"),
]


@dataclass(frozen=True)
class RepoSet:
    """One repository's migration folder and how its project runs Flyway on it."""

    name: str
    # The folder under flyway_repos/<name>/: Flyway's location, db-migrate's database folder.
    location: str
    # The database the project migrates (bfd's baseline grants on "fhirdb" by name).
    database: str
    migrations: int
    # The Flyway settings the project sets in its own code, as a Flyway .conf file's lines.
    flyway_settings: tuple[str, ...] = ()
    placeholders: dict[str, str] = field(default_factory=dict)
    flyway_table: str = "flyway_schema_history"
    # What the project's own setup does before Flyway runs (its local database script).
    prepare: tuple[str, ...] = ()
    schema_holds: tuple[str, ...] = ()
    data_holds: tuple[str, ...] = ()
    data_rows: int = 0
    roles: tuple[str, ...] = ()
    # Files in the folder Flyway skips; db-migrate names them in one warning.
    skipped: tuple[str, ...] = ()
    # What db-migrate must say about the set (its output holds each).
    notes: tuple[str, ...] = ()

    @property
    def root(self) -> Path:
        return REPOS / self.name

    @property
    def folder(self) -> Path:
        return self.root / self.location

    def placeholder_flags(self) -> list[str]:
        return [f"--placeholder={name}={value}" for name, value in self.placeholders.items()]


# CMSgov/beneficiary-fhir-data: ${logic.psql-only} ("" on PostgreSQL, a comment marker on HSQL),
# 17-digit timestamp versions, roles created in DO blocks and plpgsql functions.
BFD = RepoSet(
    "bfd", "migration", "fhirdb", 10,
    flyway_settings=("flyway.postgresql.transactional.lock=false", "flyway.outOfOrder=true"),
    placeholders={"logic.psql-only": ""},
    prepare=("CREATE ROLE bfd LOGIN",),
    schema_holds=("CREATE TABLE ccw.beneficiaries (", "CREATE TABLE rda.fiss_claims (",
                  "CREATE FUNCTION public.create_role_if_not_exists(",
                  "GRANT ALL ON SCHEMA ccw TO rds_superuser;"),
    data_holds=("COPY ccw.beneficiaries (", "SELECT pg_catalog.setval('ccw.bene_monthly_audit_seq'"),
    roles=("bfd_reader_role", "paca_migrator_role", "fhirdb_admin_group", "rds_superuser"),
)
# conductor-oss/conductor: three locations (folders) whose dotted versions interleave (10.1 in
# migration_postgres_notify between 10 and 11), CREATE/DROP INDEX CONCURRENTLY in V9.
CONDUCTOR = RepoSet(
    "conductor", "db", "conductor", 21,
    flyway_settings=("flyway.postgresql.transactional.lock=false", "flyway.outOfOrder=true"),
    schema_holds=("CREATE TABLE public.workflow (", "CREATE TABLE public.queue_message (",
                  "CREATE INDEX workflow_index_json_data_gin_idx",
                  "CREATE FUNCTION public.queue_notify()"),
    data_holds=("COPY public.workflow (", "COPY public.queue_message ("),
)
# DSpace/DSpace: versions 1.1 .. 5.7.2017.04.11 (dots and underscores, dates as version parts),
# a README and a script (update-sequences.sql) beside the migrations, history table schema_version.
DSPACE = RepoSet(
    "dspace", "postgres", "dspace", 15,
    flyway_settings=("flyway.table=schema_version",),
    flyway_table="schema_version",
    schema_holds=("CREATE TABLE public.item (", "CREATE TABLE public.metadatavalue (",
                  "CREATE TABLE public.requestitem ("),
    data_holds=("COPY public.metadataschemaregistry (", "COPY public.metadatafieldregistry ("),
    data_rows=17,
    skipped=("update-sequences.sql",),
)
# eclipse-hawkbit/hawkbit (before its B1_20_0 baseline replaced these): underscore versions
# 1_12_15 .. 1_12_37, and V1_12_37 with a BEGIN ... COMMIT block between other statements.
HAWKBIT = RepoSet(
    "hawkbit", "POSTGRESQL", "hawkbit", 23,
    flyway_settings=("flyway.sqlMigrationSuffixes=POSTGRESQL.sql", "flyway.table=schema_version"),
    flyway_table="schema_version",
    schema_holds=("CREATE TABLE public.sp_target (", "CREATE TABLE public.sp_target_conf_status (",
                  "ADD CONSTRAINT fk_target_conf_status_target FOREIGN KEY"),
    data_holds=("COPY public.sp_target (", "COPY public.sp_rollout ("),
    notes=("note: 1 file runs as written, statement by statement (V1_12_37__unify__POSTGRESQL.sql)",),
)
SETS = (BFD, CONDUCTOR, DSPACE, HAWKBIT)
HISTORY_TABLES = ("flyway_schema_history", "schema_version", "_schema_migrations")


# --- running the tools -----------------------------------------------------------------------

def _port_and_database(url: str) -> tuple[int, str]:
    parts = urlsplit(url)
    port = parts.port or int(parse_qs(parts.query)["port"][0])
    return port, parts.path.lstrip("/")


def flyway(url: str, repo: RepoSet, folder: Path, tmp: Path, *extra: str,
           check: bool = True) -> subprocess.CompletedProcess[str]:
    """``flyway migrate`` as the project configures it, over TCP (the servers listen on 127.0.0.1).

    Settings go through a .conf file: Flyway's command line refuses an empty value
    (``-placeholders.logic.psql-only=`` is "Unable to parse command line params").
    """
    port, database = _port_and_database(url)
    conf = tmp / f"{repo.name}-flyway.conf"
    conf.write_text("".join(f"{line}\n" for line in repo.flyway_settings)
                    + "".join(f"flyway.placeholders.{name}={value}\n"
                              for name, value in repo.placeholders.items()))
    argv = ["java", "-cp", f"{FLYWAY_LIB}/*", "org.flywaydb.commandline.Main",
            f"-url=jdbc:postgresql://127.0.0.1:{port}/{database}", "-user=postgres",
            f"-locations=filesystem:{folder}", f"-configFiles={conf}", "-skipCheckForUpdate",
            *extra, "migrate"]
    env = {"PATH": "/usr/bin:/bin", "REDGATE_DISABLE_TELEMETRY": "true",
           "FLYWAY_TELEMETRY_OPTOUT": "true"}
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300)
    if check:
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    return done


def ours(url: str, repo: RepoSet, root: Path, *extra: str, command: tuple[str, ...] = ()) -> CliResult:
    """The CLI on the unmodified folder: ``root/<location>`` is the database folder."""
    # adopt and baseline run no file: they take neither a seed mode nor placeholders.
    runs = not command or command[0] not in ("adopt", "baseline")
    run_flags = ["--seed", "none", *repo.placeholder_flags()] if runs else []
    return run_cli(*command, "--url", url, "--migrations-dir", str(root), "-d", repo.location,
                   *run_flags, *extra, env={"DB_MIGRATE_NO_EMBEDDED": "1"}, timeout=300)


def dump(url: str, mode: str) -> bytes:
    argv = [str(PG_BIN / "pg_dump"), f"--dbname={url}", mode, "--restrict-key=flywayrepos"]
    argv += [f"--exclude-table={table}" for table in HISTORY_TABLES]
    return subprocess.run(argv, capture_output=True, check=True, timeout=120).stdout


def dump_roles(server: pgserver.PgServer) -> bytes:
    argv = [str(PG_BIN / "pg_dumpall"), f"--dbname={server.url()}", "--roles-only",
            "--restrict-key=flywayrepos"]
    return subprocess.run(argv, capture_output=True, check=True, timeout=120).stdout


def copy_rows(data_dump: bytes) -> int:
    """Rows in a plain data dump's COPY blocks."""
    rows, inside = 0, False
    for line in data_dump.splitlines():
        if line.startswith(b"COPY "):
            inside = True
        elif line == b"\\.":
            inside = False
        elif inside:
            rows += 1
    return rows


def assert_identical(flyways: bytes, mine: bytes, what: str) -> None:
    if flyways != mine:
        diff = difflib.unified_diff(flyways.decode().splitlines(), mine.decode().splitlines(),
                                    "flyway", "db-migrate", lineterm="", n=1)
        pytest.fail(f"{what} differs from Flyway's:\n" + "\n".join(list(diff)[:60]))


def assert_same_database(flyway_url: str, our_url: str, repo: RepoSet) -> None:
    schema, data = dump(flyway_url, "--schema-only"), dump(flyway_url, "--data-only")
    # Never vacuous: Flyway's dumps hold what the set creates.
    assert [s for s in repo.schema_holds if s.encode() not in schema] == []
    assert [s for s in repo.data_holds if s.encode() not in data] == []
    assert copy_rows(data) >= repo.data_rows
    assert_identical(schema, dump(our_url, "--schema-only"), f"{repo.name}: pg_dump --schema-only")
    assert_identical(data, dump(our_url, "--data-only"), f"{repo.name}: pg_dump --data-only")


def history_rows(url: str, table: str) -> int:
    with psycopg.connect(url) as conn:
        if conn.execute("SELECT to_regclass(%s)", [table]).fetchone() == (None,):
            return 0
        row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()
        return int(row[0]) if row else 0


# --- one pair of fresh servers per major -----------------------------------------------------

@dataclass
class ServerPair:
    major: int
    flyway: pgserver.PgServer
    ours: pgserver.PgServer


@pytest.fixture(scope="module", params=[18, pytest.param(15, marks=pytest.mark.pg15)],
                ids=["pg18", "pg15"])
def servers(request: pytest.FixtureRequest) -> Iterator[ServerPair]:
    major: int = request.param
    binaries = pgserver.embedded_pg18() if major == 18 else pgserver.debian_pg15()
    if binaries is None:
        if IN_CI:
            pytest.fail("Debian PostgreSQL 15 is missing; .ci/run must install postgresql-15")
        pytest.skip("Debian PostgreSQL 15 is not installed (apt-get install postgresql-15)")
    # Short path: unix socket paths are limited to ~100 bytes.
    with tempfile.TemporaryDirectory(prefix="dbm-fwr-", dir="/tmp") as tmp:
        settings = {"fsync": "off"}
        with pgserver.PgServer(Path(tmp) / "flyway", binaries, settings=settings) as by_flyway, \
                pgserver.PgServer(Path(tmp) / "ours", binaries, settings=settings) as by_us:
            yield ServerPair(major, by_flyway, by_us)


def prepare(server: pgserver.PgServer, repo: RepoSet) -> str:
    with server.connect() as conn:
        for statement in repo.prepare:
            conn.execute(statement.encode())
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(repo.database)))
    return server.url(repo.database)


@pytest.mark.parametrize("repo", SETS, ids=[s.name for s in SETS])
def test_the_repository_runs_unmodified_and_gives_what_flyway_gives(
        repo: RepoSet, servers: ServerPair, tmp_path: Path) -> None:
    flyway_url, our_url = prepare(servers.flyway, repo), prepare(servers.ours, repo)

    started = time.perf_counter()
    flyway(flyway_url, repo, repo.folder, tmp_path)
    flyway_s = time.perf_counter() - started
    started = time.perf_counter()
    done = ours(our_url, repo, repo.root)
    ours_s = time.perf_counter() - started
    print(f"\n[timing] {repo.name} PostgreSQL {servers.major}: Flyway {flyway_s:.2f} s, "
          f"db-migrate {ours_s:.2f} s")

    assert done.code == 0, done.out[-3000:] + done.err[-3000:]
    assert f"{repo.migrations} applied, 0 skipped, 0 failed" in done.out, done.out[-3000:]
    assert history_rows(flyway_url, repo.flyway_table) == repo.migrations
    warnings = [line for line in (done.out + done.err).splitlines() if "warning:" in line]
    assert len(warnings) == len(repo.skipped)
    assert all(name in " ".join(warnings) for name in repo.skipped)
    assert [note for note in repo.notes if note not in done.out + done.err] == []
    assert_same_database(flyway_url, our_url, repo)

    roles = dump_roles(servers.flyway)
    assert [r for r in repo.roles if f"CREATE ROLE {r};".encode() not in roles] == []
    assert_identical(roles, dump_roles(servers.ours), f"{repo.name}: pg_dumpall --roles-only")

    again = ours(our_url, repo, repo.root)
    assert again.code == 0 and f"0 applied, {repo.migrations} skipped, 0 failed" in again.out


# --- adoption half-way, an edited file, out of order (shared servers, PostgreSQL 18 and 15) ----

DSPACE_HALF = "4.0"  # 10 of the 15 files: V1.1 .. V4.0


def test_adopting_a_database_flyway_migrated_half_way_then_applying_the_rest(
        pg: PgServer, tmp_path: Path) -> None:
    complete, half = pg.create_database(), pg.create_database()
    flyway(complete, DSPACE, DSPACE.folder, tmp_path)
    flyway(half, DSPACE, DSPACE.folder, tmp_path, f"-target={DSPACE_HALF}")
    assert history_rows(half, "schema_version") == 10

    adopted = ours(half, DSPACE, DSPACE.root, "--from", "flyway", "--flyway-table", "schema_version",
                   "--checksum-policy", "fail", command=("adopt",))
    assert adopted.code == 0, adopted.out + adopted.err
    assert "changed after Flyway" not in adopted.out + adopted.err
    assert history_rows(half, "_schema_migrations") == 10

    rest = ours(half, DSPACE, DSPACE.root)
    assert rest.code == 0, rest.out + rest.err
    assert "5 applied, 10 skipped, 0 failed" in rest.out
    assert_same_database(complete, half, DSPACE)


def test_a_file_edited_after_flyway_applied_it_is_reported_by_adopt(
        pg: PgServer, tmp_path: Path) -> None:
    root = tmp_path / "dspace"
    shutil.copytree(DSPACE.root, root)
    url = pg.create_database()
    flyway(url, DSPACE, root / DSPACE.location, tmp_path, f"-target={DSPACE_HALF}")
    edited = root / DSPACE.location / "V1.4__Upgrade_to_DSpace_1.4_schema.sql"
    edited.write_bytes(edited.read_bytes() + b"-- reviewed after the release\n")
    adopt = ("--from", "flyway", "--flyway-table", "schema_version")

    refused = ours(url, DSPACE, root, *adopt, "--checksum-policy", "fail", command=("adopt",))
    assert refused.code == 2, refused.out + refused.err
    assert edited.name in refused.err
    assert history_rows(url, "_schema_migrations") == 0

    warned = ours(url, DSPACE, root, *adopt, "--checksum-policy", "warn", command=("adopt",))
    assert warned.code == 0, warned.out + warned.err
    changed = [line for line in (warned.out + warned.err).splitlines() if "changed after Flyway" in line]
    assert len(changed) == 1 and edited.name in changed[0]
    assert history_rows(url, "_schema_migrations") == 10


def test_a_location_enabled_later_gives_an_out_of_order_version(pg: PgServer, tmp_path: Path) -> None:
    """conductor's ``experimentalQueueNotify`` adds the migration_postgres_notify location, whose
    V10.1 is lower than the V18.1 already applied. Flyway refuses it unless outOfOrder (conductor
    sets it); db-migrate warns by default and refuses with ``--out-of-order fail``."""
    root = tmp_path / "conductor"
    shutil.copytree(CONDUCTOR.root, root)
    notify = root / CONDUCTOR.location / "migration_postgres_notify"
    parked = tmp_path / "parked"
    notify.rename(parked)
    by_flyway, by_us = pg.create_database(), pg.create_database()
    flyway(by_flyway, CONDUCTOR, root / CONDUCTOR.location, tmp_path)
    first = ours(by_us, CONDUCTOR, root)
    assert first.code == 0 and "20 applied, 0 skipped, 0 failed" in first.out, first.out + first.err
    parked.rename(notify)

    # Flyway's own default (outOfOrder=false) refuses the database; the project's setting applies it.
    refused_by_flyway = flyway(by_flyway, CONDUCTOR, root / CONDUCTOR.location, tmp_path,
                               "-outOfOrder=false", check=False)
    assert refused_by_flyway.returncode != 0
    assert "10.1" in refused_by_flyway.stdout + refused_by_flyway.stderr
    flyway(by_flyway, CONDUCTOR, root / CONDUCTOR.location, tmp_path)

    refused = ours(by_us, CONDUCTOR, root, "--out-of-order", "fail")
    assert refused.code == 2, refused.out + refused.err
    assert "V10.1__notify.sql" in refused.out + refused.err
    assert history_rows(by_us, "_schema_migrations") == 20

    applied = ours(by_us, CONDUCTOR, root)
    assert applied.code == 0, applied.out + applied.err
    warned = [line for line in (applied.out + applied.err).splitlines() if "warning:" in line]
    assert len(warned) == 1 and "V10.1__notify.sql" in warned[0]
    assert "1 applied, 20 skipped, 0 failed" in applied.out
    assert_same_database(by_flyway, by_us, CONDUCTOR)
