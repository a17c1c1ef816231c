"""Fixtures for the shipping tests: the CRD, parsed once per session."""

from __future__ import annotations

from typing import Any

import pytest

from tests.shipping.helpers import CRD_PATH, load_one


@pytest.fixture(scope="session")
def crd() -> dict[str, Any]:
    return load_one(CRD_PATH)


@pytest.fixture(scope="session")
def crd_version(crd: dict[str, Any]) -> dict[str, Any]:
    versions = crd["spec"]["versions"]
    assert len(versions) == 1, "exactly one served version, v1alpha1"
    version: dict[str, Any] = versions[0]
    return version


@pytest.fixture(scope="session")
def crd_schema(crd_version: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = crd_version["schema"]["openAPIV3Schema"]
    return schema
