"""The DatabaseMigration CRD matches the API contract (crd-spec): names, columns, defaults, enums,
and a schema that every DatabaseMigration shipped in this repository satisfies.

The API server's own verdict (CEL rules, defaulting, the status subresource) is in
test_shipping_cluster.py; these checks need nothing but the file.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.shipping.helpers import DEPLOY, HEALTH_DIR, deploy_yaml_files, load_docs

EXPECTED_COLUMNS = [
    ("Database", "string", ".spec.database"),
    ("Seed", "string", ".spec.seed"),
    ("Ready", "string", '.status.conditions[?(@.type=="Ready")].status'),
    ("Version", "string", ".status.currentVersion"),
    ("Applied", "integer", ".status.applied"),
    ("Skipped", "integer", ".status.skipped"),
    ("Failed", "integer", ".status.failed"),
    ("Age", "date", ".metadata.creationTimestamp"),
]

# path below spec -> default, as the contract lists them
EXPECTED_SPEC_DEFAULTS: dict[str, Any] = {
    "connection.urlSecretRef.key": "url",
    "connection.port": 5432,
    "connection.passwordSecretRef.key": "password",
    "connection.sslmode": "prefer",
    "seed": "reference",
    "source": {},
    "dryRun": False,
    "checksumPolicy": "warn",
    "suspend": False,
    "group": False,
    "timeouts.migrationLock": "60s",
    "timeouts.lock": "30s",
    "timeouts.statement": "0",
    "historyTable.schema": "public",
    "historyTable.name": "_schema_migrations",
}

EXPECTED_SPEC_ENUMS = {
    "seed": ["none", "reference", "sample", "full"],
    "checksumPolicy": ["warn", "fail"],
    "connection.sslmode": ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"],
}

EXPECTED_STATUS_FIELDS = {
    "observedGeneration",
    "conditions",
    "applied",
    "skipped",
    "failed",
    "pending",
    "currentVersion",
    "lastRun",
    "migrations",
    "checksumWarnings",
    "sourceDigest",
    "message",
    "suspended",
    # resourceVersion of each ConfigMap the last run read: a re-list compares with it.
    "sourceRevisions",
}


def node(schema: dict[str, Any], dotted: str) -> dict[str, Any]:
    current = schema
    for part in dotted.split("."):
        current = current["properties"][part]
    return current


def test_crd_names_group_and_short_names(crd: dict[str, Any], crd_version: dict[str, Any]) -> None:
    spec = crd["spec"]
    assert crd["metadata"]["name"] == "databasemigrations.migrations.es1.dev"
    assert (spec["group"], spec["scope"], crd_version["name"]) == (
        "migrations.es1.dev",
        "Namespaced",
        "v1alpha1",
    )
    assert spec["names"]["kind"] == "DatabaseMigration"
    assert spec["names"]["plural"] == "databasemigrations"
    assert spec["names"]["singular"] == "databasemigration"
    assert spec["names"]["shortNames"] == ["dbmigration", "dbmigrations", "dbm"]
    assert spec["names"]["categories"] == ["es1"]
    assert crd_version["served"] is True and crd_version["storage"] is True


def test_printer_columns_are_the_specified_eight(crd_version: dict[str, Any]) -> None:
    columns = [
        (column["name"], column["type"], column["jsonPath"])
        for column in crd_version["additionalPrinterColumns"]
    ]
    assert columns == EXPECTED_COLUMNS


def test_status_is_a_subresource(crd_version: dict[str, Any]) -> None:
    assert crd_version["subresources"] == {"status": {}}


def test_new_objects_read_observed_generation_minus_one(crd_schema: dict[str, Any]) -> None:
    status = crd_schema["properties"]["status"]
    # Both levels: the status object itself defaults (so an object with no status at all gets
    # one), and the field defaults when the operator writes a status without it.
    assert status["default"] == {"observedGeneration": -1}
    assert status["properties"]["observedGeneration"]["default"] == -1


@pytest.mark.parametrize(("path", "default"), sorted(EXPECTED_SPEC_DEFAULTS.items()))
def test_spec_field_has_the_specified_default(crd_schema: dict[str, Any], path: str, default: Any) -> None:
    assert node(crd_schema["properties"]["spec"], path)["default"] == default


def test_nested_defaults_apply_without_the_parent_object(crd_schema: dict[str, Any]) -> None:
    # Structural defaulting only descends into objects that exist: timeouts and historyTable
    # default to {} so that their own field defaults always land in the stored object.
    spec = crd_schema["properties"]["spec"]
    assert node(spec, "timeouts")["default"] == {}
    assert node(spec, "historyTable")["default"] == {}


@pytest.mark.parametrize(("path", "values"), sorted(EXPECTED_SPEC_ENUMS.items()))
def test_spec_field_only_takes_the_specified_values(
    crd_schema: dict[str, Any], path: str, values: list[str]
) -> None:
    assert node(crd_schema["properties"]["spec"], path)["enum"] == values


def test_database_and_connection_are_required(crd_schema: dict[str, Any]) -> None:
    assert crd_schema["required"] == ["spec"]
    assert crd_schema["properties"]["spec"]["required"] == ["database", "connection"]


def test_one_of_rules_guard_connection_and_configmap_sources(crd_schema: dict[str, Any]) -> None:
    spec = crd_schema["properties"]["spec"]
    connection_rules = " ".join(rule["rule"] for rule in node(spec, "connection")["x-kubernetes-validations"])
    for field in ("urlSecretRef", "host", "dbname", "user", "passwordSecretRef"):
        assert f"has(self.{field})" in connection_rules
    one_of = "has(self.names) != has(self.selector)"
    migrations = node(spec, "source.configMaps.migrations")
    seed_set = node(spec, "source.configMaps.seeds")["additionalProperties"]
    for selection in (migrations, seed_set):
        assert [rule["rule"] for rule in selection["x-kubernetes-validations"]] == [one_of]


def test_every_contract_status_field_is_declared(crd_schema: dict[str, Any]) -> None:
    status = crd_schema["properties"]["status"]
    # Undeclared status fields are pruned by the API server; preserving unknown fields would
    # hide such mistakes instead.
    assert set(status["properties"]) == EXPECTED_STATUS_FIELDS
    assert "x-kubernetes-preserve-unknown-fields" not in status


def test_conditions_are_a_list_map_keyed_by_type(crd_schema: dict[str, Any]) -> None:
    conditions = crd_schema["properties"]["status"]["properties"]["conditions"]
    assert conditions["x-kubernetes-list-type"] == "map"
    assert conditions["x-kubernetes-list-map-keys"] == ["type"]
    assert set(conditions["items"]["required"]) == {"type", "status"}
    assert conditions["items"]["properties"]["status"]["enum"] == ["True", "False", "Unknown"]


def test_migration_history_in_status_is_bounded(crd_schema: dict[str, Any]) -> None:
    migrations = crd_schema["properties"]["status"]["properties"]["migrations"]
    assert migrations["maxItems"] == 200
    item = migrations["items"]["properties"]
    assert item["kind"]["enum"] == ["migration", "seed"]


def test_every_state_the_engine_reports_is_accepted_by_the_status_schema(crd_schema: dict[str, Any]) -> None:
    # A state the schema lacks (a changed seed's "changed") makes the API server reject the
    # whole status write, so the resource's status would never update.
    from db_migrate.engine.planner import State

    item = crd_schema["properties"]["status"]["properties"]["migrations"]["items"]["properties"]
    assert set(item["state"]["enum"]) == {state.value for state in State}


# ------------------------------------------------------------------ offline schema validation

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema validates examples offline")


def as_json_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The CRD's structural schema as a strict JSON Schema.

    The x-kubernetes-* extensions are dropped (CEL is the API server's job), and objects with
    declared properties reject unknown fields, as ``kubectl apply``'s strict field validation does.
    """
    result = {
        key: copy.deepcopy(value) for key, value in schema.items() if not key.startswith("x-kubernetes-")
    }
    if "properties" in result:
        result["properties"] = {name: as_json_schema(child) for name, child in result["properties"].items()}
        result.setdefault("additionalProperties", False)
    if isinstance(result.get("additionalProperties"), dict):
        result["additionalProperties"] = as_json_schema(result["additionalProperties"])
    if "items" in result:
        result["items"] = as_json_schema(result["items"])
    return result


def shipped_database_migrations() -> Iterator[tuple[str, dict[str, Any]]]:
    sources = [*deploy_yaml_files(), *sorted((HEALTH_DIR / "testdata").glob("*.yaml"))]
    seen: set[Path] = set()
    for path in sources:
        if path in seen:
            continue
        seen.add(path)
        for doc in load_docs(path):
            if doc.get("kind") == "DatabaseMigration":
                yield f"{path.relative_to(DEPLOY.parent)}:{doc['metadata']['name']}", doc


SHIPPED = list(shipped_database_migrations())


def validator(crd_schema: dict[str, Any]) -> Any:
    strict = as_json_schema(crd_schema)
    # metadata is the API server's business; only apiVersion/kind/metadata/spec/status at the top.
    strict["properties"]["metadata"] = {"type": "object"}
    return jsonschema.Draft7Validator(strict)


def test_repository_ships_database_migrations_to_check() -> None:
    names = {name.rsplit(":", 1)[1] for name, _ in SHIPPED}
    assert {"postgres", "aiml-postgres", "orders"} <= names


@pytest.mark.parametrize(("where", "obj"), SHIPPED, ids=[name for name, _ in SHIPPED])
def test_shipped_database_migration_satisfies_the_crd_schema(
    crd_schema: dict[str, Any], where: str, obj: dict[str, Any]
) -> None:
    errors = [
        f"{'.'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in validator(crd_schema).iter_errors(obj)
    ]
    assert errors == [], where


@pytest.mark.parametrize(
    ("path", "bad_value"),
    [
        ("seed", "everything"),
        ("database", "Bad_Name"),
        ("checksumPolicy", "ignore"),
        ("timeouts", {"lock": "30 seconds"}),
        ("connection", {"urlSecretRef": {"name": "x"}, "port": 70000}),
        ("dryrun", True),
    ],
)
def test_schema_rejects_a_bad_field(crd_schema: dict[str, Any], path: str, bad_value: Any) -> None:
    obj = copy.deepcopy(dict(SHIPPED)["deploy/examples/postgres.yaml:postgres"])
    obj["spec"][path] = bad_value
    assert list(validator(crd_schema).iter_errors(obj)), f"spec.{path}={bad_value!r} accepted"


def test_every_field_has_a_description_for_kubectl_explain(crd_schema: dict[str, Any]) -> None:
    # Issue 19: `kubectl explain dbm.spec.connection.host` explained nothing, nor did the
    # counts and lastRun. Every named field says what it is (list items and map values aside).
    schema = crd_schema
    missing: list[str] = []

    def walk(node: Any, path: str) -> None:
        if path not in ("apiVersion", "kind", "metadata", "") and "description" not in node:
            missing.append(path)
        for key, child in (node.get("properties") or {}).items():
            walk(child, f"{path}.{key}" if path else key)
        if isinstance(node.get("items"), dict):
            for key, child in (node["items"].get("properties") or {}).items():
                walk(child, f"{path}[].{key}")
        if isinstance(node.get("additionalProperties"), dict):
            for key, child in (node["additionalProperties"].get("properties") or {}).items():
                walk(child, f"{path}{{}}.{key}")

    walk(schema, "")
    assert missing == []
