"""Paths and YAML loading shared by the shipping tests."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
CRD_PATH = ROOT / "crds" / "databasemigrations.migrations.es1.dev.yaml"
DEPLOY = ROOT / "deploy"
HEALTH_DIR = DEPLOY / "argocd" / "resource_customizations" / "migrations.es1.dev" / "DatabaseMigration"
HELM_CHARTS = DEPLOY / "helm"


def deploy_yaml_files() -> list[Path]:
    """Every YAML file under deploy/ except the Helm chart's: its templates are Go templates, not
    YAML, and test_shipping_helm.py renders them with helm and checks what comes out."""
    return [path for path in sorted(DEPLOY.rglob("*.yaml")) if HELM_CHARTS not in path.parents]


def load_docs(path: Path) -> list[dict[str, Any]]:
    """Every non-empty YAML document of a file (multi-document files included)."""
    with path.open(encoding="utf-8") as fh:
        docs = [doc for doc in yaml.safe_load_all(fh) if doc is not None]
    for doc in docs:
        assert isinstance(doc, dict), f"{path}: a document is not a mapping"
    return docs


def load_one(path: Path) -> dict[str, Any]:
    docs = load_docs(path)
    assert len(docs) == 1, f"{path}: expected one YAML document, found {len(docs)}"
    return docs[0]


def by_kind(docs: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for doc in docs:
        found.setdefault(doc["kind"], []).append(doc)
    return found


def find_kubectl() -> str | None:
    """A kubectl with built-in kustomize: PATH, Debian's /usr/bin/kubectl, else the one the
    local control plane built (tools/controlplane/build --print names its cached bin dir)."""
    on_path = shutil.which("kubectl")
    if on_path:
        return on_path
    debian = Path("/usr/bin/kubectl")
    if debian.is_file():
        return str(debian)
    build = ROOT / "tools" / "controlplane" / "build"
    if build.is_file():
        result = subprocess.run(["bash", str(build), "--print"], capture_output=True, text=True, check=False)
        built = Path(result.stdout.strip() or "/nonexistent") / "kubectl"
        if result.returncode == 0 and built.is_file():
            return str(built)
    return None


def url_variable(database: str) -> str:
    """DB_MIGRATE_URL_<NAME>: upper-cased, every non-alphanumeric character replaced by "_"."""
    return "DB_MIGRATE_URL_" + re.sub(r"[^A-Za-z0-9]", "_", database).upper()
