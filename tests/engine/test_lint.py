"""db-migrate lint: each rule flags its breach at the right line and accepts the idempotent form."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from db_migrate.engine.errors import InvalidInput
from db_migrate.engine.lint import RULES, Finding, lint_file, lint_paths, lint_text
from tests.conftest import ROOT


def _lint(sql: str, *, seed: bool = False) -> list[tuple[str, int]]:
    text = textwrap.dedent(sql).lstrip("\n")
    return [(f.rule, f.line) for f in lint_text(text, path="x.sql", seed=seed)]


# (rule, breaching SQL whose offending statement starts on line 2, idempotent SQL)
CASES = [
    ("create-if-not-exists",
     "SELECT 1;\nCREATE TABLE t (id int);",
     "SELECT 1;\nCREATE TABLE IF NOT EXISTS t (id int);"),
    ("create-if-not-exists",
     "SELECT 1;\nCREATE INDEX t_id_idx ON t (id);",
     "SELECT 1;\nCREATE INDEX IF NOT EXISTS t_id_idx ON t (id);"),
    ("create-if-not-exists",
     "SELECT 1;\nCREATE INDEX ON t (id);",
     "SELECT 1;\nCREATE INDEX IF NOT EXISTS t_id_idx ON t (id);"),
    ("create-if-not-exists",
     "SELECT 1;\nCREATE INDEX CONCURRENTLY t_id_idx ON t (id);",
     "SELECT 1;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS t_id_idx ON t (id);"),
    ("create-if-not-exists",
     "SELECT 1;\nCREATE SCHEMA app;",
     "SELECT 1;\nCREATE SCHEMA IF NOT EXISTS app;"),
    ("create-if-not-exists",
     "SELECT 1;\nCREATE EXTENSION pg_trgm;",
     "SELECT 1;\nCREATE EXTENSION IF NOT EXISTS pg_trgm;"),
    ("create-if-not-exists",
     "SELECT 1;\nCREATE SEQUENCE app.seq;",
     "SELECT 1;\nCREATE SEQUENCE IF NOT EXISTS app.seq;"),
    ("create-if-not-exists",
     "SELECT 1;\nCREATE TABLE t2 AS SELECT 1 AS x;",
     "SELECT 1;\nCREATE TABLE IF NOT EXISTS t2 AS SELECT 1 AS x;"),
    ("create-if-not-exists",
     "SELECT 1;\nCREATE MATERIALIZED VIEW mv AS SELECT 1 AS x;",
     "SELECT 1;\nCREATE MATERIALIZED VIEW IF NOT EXISTS mv AS SELECT 1 AS x;"),
    ("create-if-not-exists",
     "SELECT 1;\nSELECT 1 AS x INTO t3;",
     "SELECT 1;\nCREATE TEMP TABLE t3 AS SELECT 1 AS x;"),
    ("add-column-if-not-exists",
     "SELECT 1;\nALTER TABLE t ADD COLUMN note text;",
     "SELECT 1;\nALTER TABLE t ADD COLUMN IF NOT EXISTS note text;"),
    ("add-enum-value-if-not-exists",
     "SELECT 1;\nALTER TYPE mood ADD VALUE 'meh';",
     "SELECT 1;\nALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh';"),
    ("create-or-replace",
     "SELECT 1;\nCREATE VIEW v AS SELECT 1 AS x;",
     "SELECT 1;\nCREATE OR REPLACE VIEW v AS SELECT 1 AS x;"),
    ("create-or-replace",
     "SELECT 1;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;",
     "SELECT 1;\nCREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;"),
    ("create-or-replace",
     "SELECT 1;\nCREATE PROCEDURE p() LANGUAGE sql AS $$ SELECT 1 $$;",
     "SELECT 1;\nCREATE OR REPLACE PROCEDURE p() LANGUAGE sql AS $$ SELECT 1 $$;"),
    ("drop-if-exists",
     "SELECT 1;\nDROP TABLE old_stuff;",
     "SELECT 1;\nDROP TABLE IF EXISTS old_stuff;"),
    ("drop-if-exists",
     "SELECT 1;\nDROP INDEX CONCURRENTLY old_idx;",
     "SELECT 1;\nDROP INDEX CONCURRENTLY IF EXISTS old_idx;"),
    ("drop-if-exists",
     "SELECT 1;\nALTER TABLE t DROP COLUMN legacy;",
     "SELECT 1;\nALTER TABLE t DROP COLUMN IF EXISTS legacy;"),
    ("drop-if-exists",
     "SELECT 1;\nALTER TABLE t DROP CONSTRAINT t_legacy_check;",
     "SELECT 1;\nALTER TABLE t DROP CONSTRAINT IF EXISTS t_legacy_check;"),
    ("drop-if-exists",
     "SELECT 1;\nDROP ROLE legacy_reader;",
     "SELECT 1;\nDROP ROLE IF EXISTS legacy_reader;"),
    ("unguarded-add-constraint",
     "SELECT 1;\nALTER TABLE t ADD CONSTRAINT t_id_positive CHECK (id > 0);",
     "SELECT 1;\nALTER TABLE t DROP CONSTRAINT IF EXISTS t_id_positive;\n"
     "ALTER TABLE t ADD CONSTRAINT t_id_positive CHECK (id > 0);"),
    ("unguarded-add-constraint",
     "SELECT 1;\nALTER TABLE t ADD CHECK (id > 0);",
     "SELECT 1;\nALTER TABLE t DROP CONSTRAINT IF EXISTS t_id_positive,\n"
     "  ADD CONSTRAINT t_id_positive CHECK (id > 0);"),
    ("unguarded-trigger",
     "SELECT 1;\nCREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();",
     "SELECT 1;\nCREATE OR REPLACE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW "
     "EXECUTE FUNCTION touch();"),
    ("unguarded-trigger",
     "SELECT 1;\nCREATE CONSTRAINT TRIGGER t_chk AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION chk();",
     "SELECT 1;\nDROP TRIGGER IF EXISTS t_chk ON app.t;\n"
     "CREATE CONSTRAINT TRIGGER t_chk AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION chk();"),
    ("unguarded-policy",
     "SELECT 1;\nCREATE POLICY t_tenant ON t USING (true);",
     "SELECT 1;\nDROP POLICY IF EXISTS t_tenant ON t;\nCREATE POLICY t_tenant ON t USING (true);"),
    ("unguarded-create-type",
     "SELECT 1;\nCREATE TYPE mood AS ENUM ('sad', 'ok');",
     "SELECT 1;\nDO $$ BEGIN\n  IF to_regtype('mood') IS NULL THEN\n"
     "    CREATE TYPE mood AS ENUM ('sad', 'ok');\n  END IF;\nEND $$;"),
    ("unguarded-create-type",
     "SELECT 1;\nCREATE TYPE pair AS (a int, b int);",
     "SELECT 1;\nDROP TYPE IF EXISTS pair;\nCREATE TYPE pair AS (a int, b int);"),
    ("unguarded-create-type",
     "SELECT 1;\nCREATE DOMAIN app.positive AS int CHECK (VALUE > 0);",
     "SELECT 1;\nDROP DOMAIN IF EXISTS positive;\nCREATE DOMAIN app.positive AS int CHECK (VALUE > 0);"),
    ("unguarded-create",
     "SELECT 1;\nCREATE ROLE app_reader;",
     "SELECT 1;\nDO $$ BEGIN\n  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_reader') THEN\n"
     "    CREATE ROLE app_reader;\n  END IF;\nEND $$;"),
    ("unguarded-rename",
     "SELECT 1;\nALTER TABLE t RENAME COLUMN name TO full_name;",
     "SELECT 1;\nALTER TABLE IF EXISTS t_old RENAME TO t_new;"),
    ("column-dropped-then-used",
     "SELECT 1;\nUPDATE t SET full_name = name WHERE full_name IS NULL;\n"
     "ALTER TABLE t DROP COLUMN IF EXISTS name;",
     "SELECT 1;\nDO $$ BEGIN UPDATE t SET full_name = name; EXCEPTION WHEN undefined_column "
     "THEN NULL; END $$;\nALTER TABLE t DROP COLUMN IF EXISTS name;"),
    ("transaction-control",
     "SELECT 1;\nROLLBACK;\nCREATE TABLE IF NOT EXISTS t (id int);",
     "SELECT 1;\nBEGIN;\nCREATE TABLE IF NOT EXISTS t (id int);\nCOMMIT;"),
]


@pytest.mark.parametrize(("rule", "bad", "good"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_flags_the_breach_at_its_line_and_accepts_the_idempotent_form(
        rule: str, bad: str, good: str) -> None:
    assert (rule, 2) in _lint(bad)
    assert _lint(good) == []


def test_every_rule_has_a_case_or_a_dedicated_test() -> None:
    covered = {c[0] for c in CASES} | {
        "syntax-error", "empty-file", "unreadable-file", "seed-insert-on-conflict",
        "placeholder-without-value",
        "unknown-lint-rule", "drop-recreate-loses-data", "migration-insert-on-conflict"}
    assert covered == set(RULES)


def test_statements_inside_do_blocks_are_guarded_and_not_linted() -> None:
    sql = """
        DO $do$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 't_id_positive') THEN
                ALTER TABLE t ADD CONSTRAINT t_id_positive CHECK (id > 0);
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE policyname = 't_tenant') THEN
                CREATE POLICY t_tenant ON t USING (true);
            END IF;
            CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();
        END
        $do$;
    """
    assert _lint(sql) == []


def test_a_drop_guards_only_the_same_name_on_the_same_table() -> None:
    sql = """
        DROP POLICY IF EXISTS t_tenant ON other_table;
        CREATE POLICY t_tenant ON t USING (true);
        DROP TRIGGER IF EXISTS other_trigger ON t;
        CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();
    """
    assert _lint(sql) == [("unguarded-policy", 2), ("unguarded-trigger", 4)]


def test_a_create_dropped_later_in_the_same_file_is_safe_to_rerun() -> None:
    # The second run finds the policy gone (the first run dropped it), so CREATE succeeds.
    sql = """
        CREATE POLICY t_tenant ON t USING (true);
        DROP POLICY IF EXISTS t_tenant ON t;
    """
    assert _lint(sql) == []


def test_drop_and_recreate_is_not_a_failure_but_loses_the_rows() -> None:
    sql = """
        DROP TABLE t CASCADE;
        CREATE TABLE t (id int PRIMARY KEY);
    """
    assert _lint(sql) == [("drop-recreate-loses-data", 1)]


def test_index_swap_in_one_file_has_no_finding() -> None:
    sql = """
        CREATE INDEX t_name_new ON t (lower(name));
        DROP INDEX t_name_idx;
        ALTER INDEX t_name_new RENAME TO t_name_idx;
    """
    assert _lint(sql) == []


def test_primary_key_replaced_in_one_statement_has_no_finding() -> None:
    assert _lint("ALTER TABLE t DROP CONSTRAINT t_pkey, ADD PRIMARY KEY (id, tenant);") == []
    assert _lint("ALTER TABLE t ADD PRIMARY KEY (id);") == [("unguarded-add-constraint", 1)]


def test_a_table_copied_before_it_is_dropped_loses_no_rows() -> None:
    sql = """
        CREATE TABLE t_new (id bigint);
        INSERT INTO t_new SELECT id FROM t;
        DROP TABLE t;
        ALTER TABLE t_new RENAME TO t;
    """
    assert _lint(sql) == []
    # An unnamed key's index gets a free name on a rerun (t_new_pkey1): still safe.
    assert _lint(sql.replace("id bigint", "id bigint PRIMARY KEY")) == []
    # A named one keeps its name on the renamed table: the rerun's CREATE TABLE fails there,
    # and then the RENAME finds no t_new.
    assert _lint(sql.replace("id bigint", "id bigint CONSTRAINT t_new_pk PRIMARY KEY")) == [
        ("create-if-not-exists", 1), ("unguarded-rename", 4)]


def test_migration_insert_of_constant_rows_is_flagged_unless_the_table_is_new() -> None:
    sql = """
        INSERT INTO kinds (name) VALUES ('a');
        INSERT INTO kinds (name) SELECT 'b' WHERE NOT EXISTS (SELECT 1 FROM kinds WHERE name = 'b');
        CREATE TABLE IF NOT EXISTS modes (name text);
        INSERT INTO modes VALUES ('x');
        DROP TABLE IF EXISTS scratch;
        CREATE TABLE scratch (n int);
        INSERT INTO scratch VALUES (1);
        DELETE FROM kinds2;
        INSERT INTO kinds2 VALUES (1);
    """
    assert _lint(sql) == [("migration-insert-on-conflict", 1), ("migration-insert-on-conflict", 4),
                          ("drop-recreate-loses-data", 5)]


def test_insert_without_on_conflict_has_a_seed_rule_and_a_migration_rule() -> None:
    sql = """
        INSERT INTO t (id) VALUES (1) ON CONFLICT (id) DO NOTHING;
        INSERT INTO t (id) VALUES (2);
        WITH moved AS (INSERT INTO t (id) VALUES (3) RETURNING id) SELECT * FROM moved;
    """
    assert _lint(sql, seed=True) == [("seed-insert-on-conflict", 2), ("seed-insert-on-conflict", 3)]
    assert _lint(sql, seed=False) == [("migration-insert-on-conflict", 2),
                                      ("migration-insert-on-conflict", 3)]


def test_syntax_error_is_reported_at_its_line() -> None:
    sql = "SELECT 1;\n-- a comment\nCREATE TABEL t (id int);\n"
    findings = lint_text(sql, path="x.sql", seed=False)
    assert [(f.rule, f.line) for f in findings] == [("syntax-error", 3)]
    assert "TABEL" in findings[0].message


def test_multi_line_statement_is_reported_at_its_first_line() -> None:
    sql = """
        -- header

        CREATE OR REPLACE VIEW v AS SELECT 1 AS x;

        CREATE TABLE
            t (
                id int
            );
    """
    assert _lint(sql) == [("create-if-not-exists", 5)]


def test_lint_ignore_comment_disables_only_the_named_rule_for_the_next_statement() -> None:
    sql = """
        -- Append-only log: every run adds a row on purpose.
        -- db-migrate: lint-ignore seed-insert-on-conflict -- deliberate
        INSERT INTO log (msg) VALUES ('seeded');
        INSERT INTO log (msg) VALUES ('again');
        -- db-migrate: lint-ignore seed-insert-on-conflict
        CREATE TABLE log2 (msg text);
    """
    assert _lint(sql, seed=True) == [("seed-insert-on-conflict", 4), ("create-if-not-exists", 6)]


def test_lint_ignore_accepts_several_rules() -> None:
    sql = """
        -- db-migrate: lint-ignore create-if-not-exists, add-column-if-not-exists
        CREATE TABLE t (id int);
        -- db-migrate: lint-ignore drop-if-exists unguarded-add-constraint
        ALTER TABLE t DROP COLUMN a, ADD CONSTRAINT c CHECK (true);
    """
    assert _lint(sql) == []


def test_lint_ignore_must_be_directly_above_the_statement() -> None:
    sql = """
        -- db-migrate: lint-ignore create-if-not-exists

        CREATE TABLE t (id int);
    """
    assert _lint(sql) == [("create-if-not-exists", 3)]


def test_lint_ignore_with_an_unknown_or_missing_rule_is_reported() -> None:
    sql = """
        -- db-migrate: lint-ignore create-if-not-exist
        CREATE TABLE t (id int);
        -- db-migrate: lint-ignore
        CREATE TABLE IF NOT EXISTS u (id int);
    """
    assert _lint(sql) == [("unknown-lint-rule", 1), ("create-if-not-exists", 2),
                          ("unknown-lint-rule", 3)]


def test_non_utf8_files_are_findings_and_empty_ones_are_not(tmp_path: Path) -> None:
    empty = tmp_path / "V1__empty.sql"
    empty.write_text("  \n")
    comments = tmp_path / "V2__comments.sql"
    comments.write_text("-- nothing but a comment\n")
    latin1 = tmp_path / "V3__latin1.sql"
    latin1.write_bytes(b"SELECT 1;\nSELECT '\xe9';\n")
    # The engine records them as applied, as Flyway does: nothing fails on a second run.
    assert lint_file(empty, seed=False) == []
    assert lint_file(comments, seed=False) == []
    assert [(f.rule, f.line) for f in lint_file(latin1, seed=False)] == [("unreadable-file", 2)]


def test_crlf_and_bom_files_report_the_same_lines(tmp_path: Path) -> None:
    path = tmp_path / "V1__crlf.sql"
    path.write_bytes(b"\xef\xbb\xbfSELECT 1;\r\n\r\nCREATE TABLE t (id int);\r\n")
    assert [(f.rule, f.line) for f in lint_file(path, seed=False)] == [("create-if-not-exists", 3)]


def test_paths_classify_seeds_and_migrations_and_report_file_line_rule(tmp_path: Path) -> None:
    bad = "SELECT 1;\nINSERT INTO t (id) SELECT 1;\n"
    (tmp_path / "migrations" / "app").mkdir(parents=True)
    (tmp_path / "seeds" / "app" / "reference").mkdir(parents=True)
    migration = tmp_path / "migrations" / "app" / "V001__data.sql"
    seed = tmp_path / "seeds" / "app" / "reference" / "001_rows.sql"
    migration.write_text(bad)
    seed.write_text(bad)
    (tmp_path / "seeds" / "app" / "reference" / "README.md").write_text("CREATE TABLE x;")

    findings = lint_paths([tmp_path / "migrations", tmp_path / "seeds"])
    assert findings == [
        Finding(str(migration), 2, "migration-insert-on-conflict", findings[0].message),
        Finding(str(seed), 2, "seed-insert-on-conflict", findings[1].message)]
    assert findings[1].format().startswith(f"{seed}:2 seed-insert-on-conflict INSERT INTO t ")

    # A database folder, a seed set folder and a single file are accepted as well.
    assert len(lint_paths([tmp_path / "migrations" / "app"])) == 1
    assert len(lint_paths([tmp_path / "seeds" / "app" / "reference"])) == 1
    assert len(lint_paths([seed, seed])) == 1


def test_explicit_seed_root_makes_its_files_seeds(tmp_path: Path) -> None:
    data = tmp_path / "fixtures" / "app" / "demo"
    data.mkdir(parents=True)
    (data / "001.sql").write_text("INSERT INTO t VALUES (1);\n")
    assert [f.rule for f in lint_paths([tmp_path / "fixtures"])] == ["migration-insert-on-conflict"]
    assert [f.rule for f in lint_paths([tmp_path / "fixtures"], seed_roots=[tmp_path / "fixtures"])] \
        == ["seed-insert-on-conflict"]


def test_missing_path_is_invalid_input(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no-such-dir"):
        lint_paths([tmp_path / "no-such-dir"])


def test_shipped_migrations_and_seeds_pass_lint() -> None:
    files = list((ROOT / "migrations").rglob("*.sql")) + list((ROOT / "seeds").rglob("*.sql"))
    assert len(files) > 20
    findings = lint_paths([ROOT / "migrations", ROOT / "seeds"])
    assert [f.format() for f in findings] == []


def test_finding_json_has_stable_fields() -> None:
    finding = Finding("m/V1__a.sql", 3, "drop-if-exists", "DROP TABLE t ...", "fails")
    assert finding.to_dict() == {"path": "m/V1__a.sql", "line": 3, "rule": "drop-if-exists",
                                 "message": "DROP TABLE t ...", "consequence": "fails"}


def test_a_begin_commit_wrapper_the_engine_accepts_is_not_reported() -> None:
    wrapped = "BEGIN;\nCREATE TABLE IF NOT EXISTS t (id int);\nCOMMIT;\n"
    assert _lint(wrapped) == []
    inside = "CREATE TABLE IF NOT EXISTS t (id int);\nCOMMIT;\nBEGIN;\nSELECT 1;\n"
    # A COMMIT outside a block runs as written (a no-op); the block left open is refused.
    assert _lint(inside) == [("transaction-control", 3)]


def test_no_insert_claim_on_a_table_the_file_deletes_from() -> None:
    sql = """
        DELETE FROM roles WHERE name = 'admin';
        INSERT INTO roles (name) VALUES ('admin');
        INSERT INTO jobs (id) VALUES (0);
        DELETE FROM jobs WHERE id = 0;
    """
    assert _lint(sql) == []


def test_drop_and_readd_column_loses_its_values_and_type_rebuild_resets_enum_values() -> None:
    sql = """
        ALTER TABLE t DROP COLUMN IF EXISTS note;
        ALTER TABLE t ADD COLUMN note text;
        DROP TYPE IF EXISTS state;
        CREATE TYPE state AS ENUM ('new');
        ALTER TYPE state ADD VALUE 'done';
    """
    assert _lint(sql) == [("drop-recreate-loses-data", 1)]


def test_findings_carry_the_consequence_their_message_claims() -> None:
    sql = "CREATE INDEX ON t (a);\nCREATE TABLE u (id int);\nINSERT INTO v VALUES (1);\n"
    by_line = {f.line: f.consequence for f in lint_text(sql, path="x.sql", seed=False)}
    assert by_line == {1: "duplicates", 2: "fails", 3: "fails-or-duplicates"}


# --- issue 16: false findings and misses on real Flyway repositories ---------------------------


def test_an_unnamed_key_that_recreates_the_name_the_file_dropped_is_no_duplicate() -> None:
    for drop in ("DROP CONSTRAINT", "DROP CONSTRAINT IF EXISTS"):
        assert _lint(f"""
            ALTER TABLE books {drop} books_author_id_fkey;
            ALTER TABLE books ADD FOREIGN KEY (author_id) REFERENCES authors (id);
            ALTER TABLE books {drop} books_isbn_key;
            ALTER TABLE books ADD UNIQUE (isbn);
            ALTER TABLE books {drop} books_pages_check;
            ALTER TABLE books ADD CHECK (pages > 0);
        """) == []
    # Another name than PostgreSQL's default: every run still adds one more.
    assert _lint("""
        ALTER TABLE books DROP CONSTRAINT IF EXISTS books_author_fk;
        ALTER TABLE books ADD FOREIGN KEY (author_id) REFERENCES authors (id);
        ALTER TABLE books DROP CONSTRAINT IF EXISTS books_check;
        ALTER TABLE books ADD CHECK (pages > 0);
    """) == [("unguarded-add-constraint", 2), ("unguarded-add-constraint", 4)]


def test_a_primary_key_on_a_temporary_table_is_created_again_by_every_run() -> None:
    assert _lint("""
        CREATE TEMP TABLE names ON COMMIT DROP AS SELECT id, name FROM products;
        ALTER TABLE names ADD PRIMARY KEY (id);
        CREATE TEMPORARY TABLE seen (id int) ON COMMIT DROP;
        ALTER TABLE seen ADD CONSTRAINT seen_pk PRIMARY KEY (id);
    """) == []


def test_rows_copied_out_in_a_with_insert_are_not_lost_by_a_drop_and_recreate() -> None:
    assert _lint("""
        CREATE TABLE IF NOT EXISTS orders_backup (id int PRIMARY KEY, total numeric);
        WITH old AS (SELECT id, total FROM orders)
        INSERT INTO orders_backup SELECT id, total FROM old ON CONFLICT DO NOTHING;
        DROP TABLE IF EXISTS orders;
        CREATE TABLE orders (id int PRIMARY KEY, total numeric);
    """) == []


def test_insert_select_without_on_conflict_is_reported_unless_the_rerun_finds_nothing() -> None:
    assert _lint("INSERT INTO contacts (id, email) SELECT id, email FROM customers;") == [
        ("migration-insert-on-conflict", 1)]
    assert _lint("INSERT INTO contacts SELECT id FROM customers;", seed=True) == [
        ("seed-insert-on-conflict", 1)]
    for safe in (
        "INSERT INTO contacts SELECT id FROM customers ON CONFLICT DO NOTHING;",
        "INSERT INTO contacts SELECT id FROM customers c WHERE NOT EXISTS "
        "(SELECT FROM contacts WHERE id = c.id);",
        # The file moves the rows out of the source: nothing to copy the second time.
        "INSERT INTO archive SELECT * FROM events WHERE at < '2020-01-01';\n"
        "DELETE FROM events WHERE at < '2020-01-01';",
        "INSERT INTO queue_done SELECT id FROM queue WHERE NOT done;\nUPDATE queue SET done = true;",
        "CREATE TEMP TABLE copy (id int);\nINSERT INTO copy SELECT id FROM customers;",
    ):
        assert _lint(safe) == [], safe


def test_create_role_is_reported_also_when_its_name_is_a_flyway_placeholder(
        tmp_path: Path) -> None:
    from db_migrate.engine import placeholders

    path = tmp_path / "V1__roles.sql"
    path.write_text("CREATE ROLE ${reader} NOLOGIN;\nCREATE USER ${writer};\n")
    values = placeholders.Expander((("reader", "app_reader"), ("writer", "app_writer")),
                                   placeholders.Builtins("u", "d", "public", "h"))
    assert [(f.rule, f.line) for f in lint_file(path, seed=False, values=values)] == [
        ("unguarded-create", 1), ("unguarded-create", 2)]
    # Without values the names are unknown: named, not "syntax error at or near $".
    empty = placeholders.Expander((), values.builtins)
    assert [(f.rule, f.line) for f in lint_file(path, seed=False, values=empty)] == [
        ("placeholder-without-value", 1), ("placeholder-without-value", 2)]


def test_a_column_used_before_the_file_drops_or_renames_it_fails_a_second_run() -> None:
    assert _lint("""
        ALTER TABLE people ADD COLUMN IF NOT EXISTS full_name text;
        UPDATE people SET full_name = name WHERE full_name IS NULL;
        INSERT INTO people (id, login) VALUES (1, 'x') ON CONFLICT DO NOTHING;
        CREATE INDEX IF NOT EXISTS people_login ON people (login);
        ALTER TABLE people DROP COLUMN IF EXISTS name;
        ALTER TABLE people RENAME COLUMN login TO username;
    """) == [("column-dropped-then-used", 2), ("column-dropped-then-used", 3),
             ("column-dropped-then-used", 4), ("unguarded-rename", 6)]
    # Dropped and added again in the same file: the column is there when it is used.
    assert _lint("""
        ALTER TABLE people DROP COLUMN IF EXISTS note;
        ALTER TABLE people ADD COLUMN IF NOT EXISTS note text;
        UPDATE people SET note = 'x';
    """) == [("drop-recreate-loses-data", 1)]
