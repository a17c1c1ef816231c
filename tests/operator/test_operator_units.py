"""Operator domain logic without a cluster: spec parsing and kstatus conditions."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from db_migrate.engine.errors import MigrationFailed
from db_migrate.engine.report import Action, DatabaseReport
from db_migrate.engine.seeds import SeedMode
from db_migrate.engine.version import Version
from db_migrate.reconciler import status as st
from db_migrate.reconciler.settings import Settings
from db_migrate.reconciler.spec import (
    InvalidConnection,
    InvalidField,
    InvalidSpec,
    parse,
    validate_key,
)
from tests.shipping.helpers import CRD_PATH, load_one

BASE = {"database": "aiml-postgres", "connection": {"urlSecretRef": {"name": "db", "key": "url"}}}


def by_type(conditions: list[dict[str, object]]) -> dict[object, dict[str, object]]:
    return {c["type"]: c for c in conditions}


def _defaulted(value: dict[str, Any], schema: dict[str, Any], path: str,
               applied: list[str]) -> dict[str, Any]:
    """``value`` with the CRD's defaults filled in, as the API server's structural defaulting
    does: an absent property with a default gets it, then objects are defaulted inside."""
    out = copy.deepcopy(value)
    for name, prop in (schema.get("properties") or {}).items():
        if name not in out and "default" in prop:
            out[name] = copy.deepcopy(prop["default"])
            applied.append(f"{path}.{name}")
        if isinstance(out.get(name), dict) and prop.get("type") == "object":
            out[name] = _defaulted(out[name], prop, f"{path}.{name}", applied)
    return out


def test_spec_defaults_match_the_crd() -> None:
    crd = load_one(CRD_PATH)
    schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]
    applied: list[str] = []
    defaulted = _defaulted(BASE, schema, "spec", applied)
    # What the API server stores for a minimal resource parses exactly as the minimal resource
    # does: every default of parse() is the CRD's.
    assert parse(defaulted) == parse(BASE)
    assert {"spec.seed", "spec.dryRun", "spec.checksumPolicy", "spec.suspend", "spec.group",
            "spec.timeouts.migrationLock", "spec.timeouts.lock", "spec.timeouts.statement",
            "spec.historyTable.schema", "spec.historyTable.name", "spec.connection.port",
            "spec.connection.sslmode"} <= set(applied)
    # allowInsecureAuth lost its default: it is ignored (issue 17), and a default would put it
    # into every stored object.
    assert "spec.connection.allowInsecureAuth" not in applied


def test_configmap_selection_needs_exactly_one_of_names_or_selector() -> None:
    bad = {**BASE, "source": {"configMaps": {"migrations": {"names": ["a"], "selector": {"matchLabels": {"x": "y"}}}}}}
    with pytest.raises(InvalidSpec, match=r"spec\.source\.configMaps\.migrations"):
        parse(bad)


@pytest.mark.parametrize(("field", "value", "position"), [
    ("migrationsDir", "/app/migrations\x00/x", 16),
    ("seedsDir", "/app/seeds\n", 11),
    ("migrationsDir", "/\x7f", 2),
])
def test_a_control_character_in_an_image_dir_is_invalid_spec_naming_the_field(
        field: str, value: str, position: int) -> None:
    with pytest.raises(InvalidField) as raised:
        parse({**BASE, "source": {"image": {field: value}}})
    assert raised.value.reason == "InvalidSpec"
    assert str(raised.value) == (f"spec.source.image.{field}: has a control character at "
                                 f"position {position}; give an absolute path of printable "
                                 "characters")


@pytest.mark.parametrize(("field", "value"), [
    ("statement", "99999999999999999999999h"),
    ("lock", "597h"),                       # 2,149,200,000 ms
    ("migrationLock", "2147483648ms"),
])
def test_a_timeout_beyond_postgresqls_limit_is_invalid_spec_naming_the_field(
        field: str, value: str) -> None:
    with pytest.raises(InvalidField) as raised:
        parse({**BASE, "timeouts": {field: value}})
    assert raised.value.reason == "InvalidSpec"
    assert str(raised.value) == (f"invalid duration {value!r} for spec.timeouts.{field}: at most "
                                 "2147483647ms (about 24.8 days), PostgreSQL's limit for a timeout")


def test_the_longest_timeouts_postgresql_takes_are_accepted() -> None:
    parsed = parse({**BASE, "timeouts": {"statement": "2147483647ms", "lock": "596h",
                                         "migrationLock": "2147483s"}})
    assert (parsed.statement_timeout_s, parsed.pg_lock_timeout_s, parsed.lock_wait_s) == \
        (2147483.647, 596 * 3600.0, 2147483.0)


@pytest.mark.parametrize("key", ["../V1__x.sql", "dir/V1__x.sql", ".hidden.sql", "a\\b.sql"])
def test_configmap_keys_with_paths_are_rejected(key: str) -> None:
    with pytest.raises(InvalidSpec, match="not a plain file name"):
        validate_key(key, "ConfigMap ns/sql")


def test_new_resource_reads_progressing_and_flips_ready_false_before_work() -> None:
    status = st.progressing(None, 3, "Progressing", "applying")
    cond = by_type(status["conditions"])
    assert status["observedGeneration"] == 3
    assert cond["Ready"]["status"] == "False" and cond["Reconciling"]["status"] == "True"
    assert cond["Stalled"]["status"] == "False"
    assert all(c["observedGeneration"] == 3 for c in status["conditions"])


def test_success_sets_ready_with_counts_and_keeps_transition_times_of_unchanged_conditions() -> None:
    started = datetime.now(UTC) - timedelta(seconds=2)
    report = DatabaseReport("db", "db on x", Action.APPLY, SeedMode.SAMPLE, started,
                            finished_at=started + timedelta(seconds=1), applied=3, skipped=10,
                            current_version=Version.of(7), source_digest="abc")
    previous = [{"type": "Stalled", "status": "False", "lastTransitionTime": "2020-01-01T00:00:00Z"}]
    status = st.succeeded(previous, 5, report)
    cond = by_type(status["conditions"])
    assert cond["Ready"]["status"] == "True" and cond["Ready"]["reason"] == "Succeeded"
    assert cond["Ready"]["message"] == "V7 applied; 3 applied, 10 skipped, 0 failed"
    assert cond["Stalled"]["lastTransitionTime"] == "2020-01-01T00:00:00Z"
    assert (status["applied"], status["skipped"], status["failed"]) == (3, 10, 0)
    assert status["currentVersion"] == "7" and status["sourceDigest"] == "abc"
    assert status["lastRun"]["seed"] == "sample" and status["lastRun"]["durationSeconds"] == 1.0


def test_permanent_failure_is_stalled_not_reconciling() -> None:
    err = MigrationFailed("V3__x.sql line 2 (statement 2/2): boom", script="V3__x.sql")
    status = st.stalled(None, 2, err.reason, str(err))
    cond = by_type(status["conditions"])
    assert cond["Stalled"]["status"] == "True" and cond["Stalled"]["reason"] == "MigrationFailed"
    assert "V3__x.sql" in str(cond["Stalled"]["message"])
    assert cond["Ready"]["status"] == "False" and cond["Reconciling"]["status"] == "False"


def test_transient_failure_says_when_it_retries() -> None:
    status = st.transient(None, 1, "db: cannot connect", "DatabaseUnavailable", 40, 3)
    cond = by_type(status["conditions"])
    assert cond["Reconciling"]["status"] == "True"
    assert cond["Reconciling"]["reason"] == "DatabaseUnavailable"
    assert "retrying in 40 s (attempt 3)" in str(cond["Reconciling"]["message"])


def test_backoff_is_exponential_and_capped() -> None:
    settings = Settings.from_env()
    s = Settings(**{**settings.__dict__, "retry_base_s": 5.0, "retry_max_s": 300.0})
    assert [s.backoff(n) for n in range(8)] == [5, 10, 20, 40, 80, 160, 300, 300]


def test_a_bad_spec_connection_is_reported_as_invalid_connection_not_invalid_source() -> None:
    with pytest.raises(InvalidConnection, match=r"spec\.connection needs") as caught:
        parse({"database": "d", "connection": {"host": "db"}})
    assert caught.value.reason == "InvalidConnection"
    with pytest.raises(InvalidSpec) as source:
        parse({**BASE, "source": {"configMaps": {"migrations": {"names": ["a"], "selector": {"matchLabels": {"x": "y"}}}}}})
    assert source.value.reason == "InvalidSource"


def test_a_ready_message_says_what_its_warning_is() -> None:
    from datetime import UTC, datetime

    from db_migrate.engine.report import Action, DatabaseReport
    from db_migrate.engine.seeds import SeedMode
    from db_migrate.reconciler import status as st

    report = DatabaseReport(database="postgres", target="t", action=Action.APPLY,
                            seed_mode=SeedMode.NONE, started_at=datetime.now(UTC))
    report.warnings.append("V2__b.sql changed since it was applied (checksum)")
    assert st.succeeded(None, 1, report)["message"].endswith(
        "(warning: V2__b.sql changed since it was applied (checksum))")
    report.warnings.append("another")
    assert "(2 warnings; the first: V2__b.sql changed" in st.succeeded(None, 1, report)["message"]


def test_the_runs_pool_puts_a_takeover_check_ahead_of_queued_handler_calls() -> None:
    import threading

    from db_migrate.operator.executor import PriorityExecutor

    pool = PriorityExecutor(1)
    gate = threading.Event()
    order: list[str] = []
    busy = pool.submit(gate.wait)
    queued = [pool.submit(order.append, f"handler{i}") for i in range(3)]
    first = pool.submit_first(order.append, "takeover")
    gate.set()
    busy.result(timeout=10)
    for future in [*queued, first]:
        future.result(timeout=10)
    assert order == ["takeover", "handler0", "handler1", "handler2"]
    pool.shutdown(wait=True, cancel_futures=True)
