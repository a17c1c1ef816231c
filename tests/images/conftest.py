"""Fixtures for the image tests: the images, built (or found in the cache) once per session."""

from __future__ import annotations

import pytest

from testkit import images
from tests.conftest import IN_CI


@pytest.fixture(scope="session")
def built() -> dict[str, str]:
    missing = images.prerequisites()
    if missing:
        message = "cannot build images here: missing " + ", ".join(missing)
        if IN_CI:
            pytest.fail(message + " (.ci/run must install them)")
        pytest.skip(message)
    return {name: images.ensure(name) for name in ("operator", "postgres", "pgvector")}
