"""The CLI tree (issue 16): each subcommand takes only its own flags, a flag it does not take is
refused by argparse at parse time, ``apply`` is a name for the bare form, and ``baseline
--version`` is not the program's ``--version``."""

from __future__ import annotations

import json
import re
from typing import Any

import psycopg
import pytest

from db_migrate import __version__
from tests.cli.test_cli import args, small_set
from tests.conftest import ROOT, Project, run_cli
from tests.pgservers import PgServer

#: What any command connecting here would meet: nothing listens on port 1.
NOWHERE = "postgresql://nobody@127.0.0.1:1/nowhere"

TARGETS = {"--database", "--all-databases", "--url", "--migrations-dir", "--seeds-dir"}
HISTORY = {"--history-table", "--lock-timeout", "--pg-lock-timeout", "--statement-timeout"}
OUTPUT = {"--json", "--verbose"}
PLACEHOLDERS = {"--placeholder", "--no-placeholders"}
APPLY = {"--help", *TARGETS, *HISTORY, *OUTPUT, *PLACEHOLDERS, "--seed", "--dry-run", "--status",
         "--target", "--group", "--sync-commit", "--checksum-policy", "--out-of-order",
         "--flyway-table"}

FLAGS = {
    # The bare form: apply's flags and the program's --version.
    (): APPLY | {"--version"},
    ("apply",): APPLY,
    ("baseline",): {"--help", *TARGETS, *HISTORY, *OUTPUT, "--version"},
    ("adopt",): {"--help", *TARGETS, *HISTORY, *OUTPUT, "--from", "--flyway-table",
                 "--checksum-policy"},
    ("lint",): {"--help", "--migrations-dir", "--seeds-dir", *PLACEHOLDERS, *OUTPUT},
    ("verify-idempotency",): {"--help", *TARGETS, *PLACEHOLDERS, *OUTPUT, "--seed"},
    ("new",): {"--help", "--migrations-dir", "--database", "--verbose"},
}


def listed_flags(help_text: str) -> set[str]:
    """The long flags of the help's option lines (``  -d NAME, --database NAME``)."""
    return {m[1] for m in re.finditer(r"^  (?:-\w(?: \S+)?, )?(--[a-z][a-z-]*)", help_text, re.M)}


@pytest.mark.parametrize("command", list(FLAGS), ids=lambda c: " ".join(c) or "bare")
def test_each_subcommands_help_lists_only_its_flags(command: tuple[str, ...]) -> None:
    result = run_cli(*command, "--help")
    assert result.code == 0, result.err
    assert listed_flags(result.out) == FLAGS[command]


#: (command, the flag it refuses); the flag comes after all the command takes, before anything
#: runs: a run-time refusal, or a connection attempt to NOWHERE, would say something else.
REFUSED = [
    (["adopt", "--from", "flyway"], "--dry-run"),
    (["adopt", "--from", "flyway"], "--status"),
    (["adopt", "--from", "flyway"], "--target 3"),
    (["adopt", "--from", "flyway"], "--seed sample"),
    (["adopt", "--from", "flyway"], "--placeholder a=b"),
    (["adopt", "--from", "flyway"], "--out-of-order fail"),
    (["adopt", "--from", "flyway"], "--group"),
    # Not taken for --seeds-dir, as an abbreviation of it.
    (["baseline", "--version", "3"], "--seed sample"),
    (["baseline", "--version", "3"], "--dry-run"),
    (["baseline", "--version", "3"], "--status"),
    (["baseline", "--version", "3"], "--target 5"),
    (["baseline", "--version", "3"], "--checksum-policy fail"),
    (["baseline", "--version", "3"], "--flyway-table fw"),
    (["baseline", "--version", "3"], "--sync-commit"),
    (["baseline", "--version", "3"], "--no-placeholders"),
    (["apply", "--database", "app"], "--version"),
    (["lint"], "--dry-run"),
    (["verify-idempotency"], "--history-table h"),
    (["new", "--database", "app", "x"], "--json"),
]


@pytest.mark.parametrize(("command", "flag"), REFUSED, ids=lambda v: " ".join(v) if isinstance(
    v, list) else v.split()[0])
def test_a_flag_a_subcommand_does_not_take_is_refused_at_parse_time_naming_it(
        command: list[str], flag: str) -> None:
    url = ["--database", "app", "--url", NOWHERE] if command[0] in ("adopt", "baseline") else []
    result = run_cli(*command, *url, *flag.split())
    name = command[0]
    assert result.code == 2, result.out + result.err
    assert result.out == ""
    assert result.err == (f"db-migrate {name}: error: unrecognized arguments: {flag}"
                          f" (see db-migrate {name} --help)\n")


def test_options_before_apply_are_refused_like_before_any_subcommand() -> None:
    result = run_cli("--dry-run", "apply", "--database", "app")
    assert result.code == 2
    assert result.err.startswith("db-migrate: error: options go after the subcommand: "
                                 "db-migrate apply --dry-run ...")


def normalized(text: str) -> str:
    """Output without its timings (``12 ms``, ``0.15 s``, ``2026-12-04 21:30:27``), and without
    the padding that aligns them in columns."""
    text = re.sub(r"\d+(\.\d+)? (ms|s)\b", "<t>", text)
    text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?", "<when>", text)
    return re.sub(r" {2,}", "  ", re.sub(r"-{2,}", "--", text))


def untimed(doc: Any) -> Any:
    """A --json document without the fields that hold times."""
    if isinstance(doc, dict):
        return {k: untimed(v) for k, v in doc.items()
                if not (k.endswith(("_at", "_ms", "_s")) or k in ("elapsed", "duration"))}
    if isinstance(doc, list):
        return [untimed(v) for v in doc]
    return doc


def rows(url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT kind, script_key, version, version_text, seed_set, script, description, "
            "checksum, success, runner, transactional, statements_total, statements_applied, "
            "error FROM _schema_migrations ORDER BY installed_rank").fetchall()


def test_apply_is_the_bare_form_by_name_same_output_and_rows(
        project: Project, pg18: PgServer) -> None:
    small_set(project)
    project.migration("app", "V004__bad.sql", "SELECT 1;\nSELECT 1/0;\n")
    seen: dict[str, list[tuple[int, str, str]]] = {}
    urls = {}
    for form in ("bare", "apply"):
        url = urls[form] = pg18.create_database()
        head = ["apply"] if form == "apply" else []
        runs = [
            [*head, *args(project, "--database", "app", "--url", url, "--dry-run")],
            [*head, *args(project, "--database", "app", "--url", url, "--status")],
            [*head, *args(project, "--database", "app", "--url", url, "--target", "3")],
            [*head, *args(project, "--database", "app", "--url", url)],
            [*head, *args(project, "--database", "app", "--url", url, "--status")],
            [*head, *args(project, "--database", "app", "--url", url, "--json")],
            [*head, *args(project, "--database", "nope", "--url", url)],
        ]
        seen[form] = []
        for argv in runs:
            result = run_cli(*argv)
            out = result.out
            if "--json" in argv:
                out = json.dumps(untimed(json.loads(out)), sort_keys=True, indent=1)
            # The database's name shows in --json ("target"): each form has a database of its own.
            name = url.split("?")[0].rsplit("/", 1)[-1]
            seen[form].append((result.code, normalized(out).replace(name, "<db>"),
                               normalized(result.err).replace(name, "<db>")))
    assert [code for code, _, _ in seen["bare"]] == [0, 0, 0, 1, 0, 1, 2]
    for (code, out, err), (named_code, named_out, named_err) in zip(
            seen["bare"], seen["apply"], strict=True):
        assert (named_code, named_err) == (code, err)
        assert named_out == out
    assert "3 applied, 0 skipped, 0 failed" in seen["bare"][2][1]
    assert "V004__bad.sql line 2 (statement 2/2): division by zero" in seen["bare"][3][2]
    assert rows(urls["apply"]) == rows(urls["bare"])
    # V001..V003 applied, V004 failed; the seed waits for every migration.
    assert [(r[5], r[8]) for r in rows(urls["bare"])] == [
        ("V001__t.sql", True), ("V002__u.sql", True), ("V003__idx.sql", True),
        ("V004__bad.sql", False)]


def test_baseline_version_is_the_baseline_and_the_programs_version_stays_on_top(
        project: Project, pg18: PgServer) -> None:
    program = run_cli("--version")
    assert (program.code, program.out) == (0, f"db-migrate {__version__}\n")

    small_set(project)
    url = pg18.create_database()
    base = run_cli("baseline", *args(project, "--database", "app", "--url", url, "--version", "2"))
    assert base.code == 0, base.err
    assert base.out.rstrip().splitlines()[-1] == "baseline: 2 recorded as applied without running them"
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT version, runner FROM _schema_migrations ORDER BY version"
                            ).fetchall() == [(1, "db-migrate baseline"), (2, "db-migrate baseline")]

    # Without its value, --version is baseline's argument, not the program's version.
    missing = run_cli("baseline", "--database", "app", "--version")
    assert missing.code == 2 and missing.out == ""
    assert "db-migrate baseline: error: argument --version: expected one argument" in missing.err
    required = run_cli("baseline", "--database", "app")
    assert required.code == 2
    assert "the following arguments are required: --version" in required.err


def test_baseline_and_adopt_report_the_seed_mode_of_the_runs_after_them(project: Project) -> None:
    # They take no --seed; their JSON documents (here: errors) still carry $DB_MIGRATE_SEED.
    for command in (["baseline", "--version", "1"], ["adopt", "--from", "flyway"]):
        result = run_cli(*command, *args(project, "--database", "app", "--json"),
                         env={"DB_MIGRATE_SEED": "sample"})
        assert result.code == 2
        doc = json.loads(result.out)
        assert (doc["action"], doc["seed_mode"]) == ("error", "sample")


def test_the_seeds_bare_form_still_works(pg18: PgServer) -> None:
    """The seed README's commands, unchanged: no subcommand, the repository's own sets."""
    env = {"DB_MIGRATE_URL_POSTGRES": pg18.create_database()}
    plan = run_cli("--database", "postgres", "--dry-run", env=env)
    assert plan.code == 0, plan.err
    assert re.search(r"dry run: \d+ would be applied, 0 skipped, 0 failed", plan.out)
    first = run_cli("--database", "postgres", "--seed", "reference", env=env)
    assert first.code == 0, first.err
    applied = int(first.out.rstrip().splitlines()[-1].split()[0])
    assert applied > 0
    again = run_cli("--database", "postgres", "--seed=reference", env=env)
    assert again.out.rstrip().splitlines()[-1] == f"0 applied, {applied} skipped, 0 failed"
    status = run_cli("--database", "postgres", "--status", env=env)
    assert status.code == 0
    assert f"postgres: {applied} applied, 0 pending" in status.out


def test_the_readme_synopsis_lists_each_commands_flags() -> None:
    block = (ROOT / "README.md").read_text().split("## CLI reference", 1)[1].split("```")[1]
    synopsis: dict[tuple[str, ...], set[str]] = {}
    command: tuple[str, ...] = ()
    for line in block.strip().splitlines():
        if line.startswith("db-migrate "):
            word = line.split()[1]
            # "db-migrate [apply] ..." and "db-migrate --version": the bare form.
            command = () if word.startswith(("[", "-")) else (word,)
            synopsis.setdefault(command, set())
        synopsis[command] |= set(re.findall(r"--[a-z][a-z-]*", line))
    synopsis[("apply",)] = synopsis[()] - {"--version"}
    assert {c: flags | {"--help"} for c, flags in synopsis.items()} == FLAGS
