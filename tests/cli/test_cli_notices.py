"""PostgreSQL's NOTICEs land under the file that raised them: listed with --verbose, counted on the
database's summary line otherwise, and in --json per file (issue 10)."""

from __future__ import annotations

import json
import re

from tests.cli.test_cli import args
from tests.conftest import Project, run_cli
from tests.pgservers import PgServer


def noisy_set(project: Project) -> None:
    project.migration("app", "V1__quiet.sql", "CREATE TABLE t (id int);")
    # Two notices: one from DROP ... IF EXISTS, one raised by the file itself.
    project.migration("app", "V2__noisy.sql", """
        DROP INDEX IF EXISTS no_such_index;
        DO $$ BEGIN RAISE NOTICE 'backfilled % rows', 0; END $$;
    """)
    project.migration("app", "V3__quiet_too.sql", "CREATE TABLE IF NOT EXISTS u (id int);")


def test_verbose_lists_each_notice_under_the_file_that_raised_it(project: Project, pg: PgServer) -> None:
    noisy_set(project)
    result = run_cli(*args(project, "--database", "app", "--url", pg.create_database(), "--verbose"))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    noisy = next(i for i, line in enumerate(lines) if "V2__noisy.sql" in line)
    assert lines[noisy + 1].strip() == 'NOTICE: index "no_such_index" does not exist, skipping'
    assert lines[noisy + 2].strip() == "NOTICE: backfilled 0 rows"
    assert "V3__quiet_too.sql" in lines[noisy + 3]
    quiet = next(i for i, line in enumerate(lines) if "V1__quiet.sql" in line)
    assert "V2__noisy.sql" in lines[quiet + 1]


def test_without_verbose_the_summary_counts_notices_and_json_keeps_them(project: Project,
                                                                       pg: PgServer) -> None:
    noisy_set(project)
    url = pg.create_database()
    plain = run_cli(*args(project, "--database", "app", "--url", url, "--dry-run"))
    assert "notice" not in plain.out  # nothing ran, so nothing was said
    result = run_cli(*args(project, "--database", "app", "--url", url, "--json"))
    doc = json.loads(result.out)
    notices = {i["script"]: i["notices"] for i in doc["databases"][0]["items"]}
    assert notices == {"V1__quiet.sql": [], "V3__quiet_too.sql": [],
                       "V2__noisy.sql": ['NOTICE: index "no_such_index" does not exist, skipping',
                                         "NOTICE: backfilled 0 rows"]}
    # A fresh database, the same files, human output without --verbose.
    again = run_cli(*args(project, "--database", "app", "--url", pg.create_database()))
    assert "NOTICE:" not in again.out
    assert re.search(r"app: 3 applied, 0 skipped, 0 failed · 2 notices \(--verbose shows them\)", again.out)
    assert again.out.rstrip().splitlines()[-1] == "3 applied, 0 skipped, 0 failed"
