"""Our connection-string parser reads every string as libpq does, or refuses it (issue 17).

Two parsers that read a string differently are a leak: libpq read ``app:p@Secret@host`` as
host ``Secret@host`` while a person meant the password ``p@Secret``. Ours stays in front of
libpq because libpq's errors quote the string; so on every shape, when ours accepts a string,
libpq's own parser (``psycopg.conninfo.conninfo_to_dict``) must give the same parameters, and
ours may only be stricter.
"""

from __future__ import annotations

import random

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from db_migrate.engine import conninfo
from tests.secret_shapes import CANARY, MALFORMED, VALID_WITH_CANARY, generated_shapes

VALID = [
    "postgresql://app:pw@db.example:5432/app",
    "postgres://app@db/app?sslmode=require&application_name=x",
    "postgresql://app:p%40ss%2Fw%3Fd@db:6543/app",
    "postgresql://a:b@h1:1,h2:2/db?target_session_attrs=read-write",
    "postgresql://[::1]:5432/db",
    "postgresql:///db?host=/var/run/postgresql",
    "host=db port=5432 dbname=app user=app password='it''s' sslmode=prefer",
    "host=db password=a\\ b dbname=x",
    "postgresql://user@/postgres?host=/tmp/x&port=5433",
    f"postgresql://es1:{CANARY}@127.0.0.1:1/es1?options=-c%20statement_timeout%3D5s",
]


def shapes() -> list[str]:
    return [*VALID, *MALFORMED.values(), *VALID_WITH_CANARY.values(),
            *generated_shapes(random.Random(17), 1500)]


def libpq(text: str) -> dict[str, str] | None:
    try:
        return {k: str(v) for k, v in conninfo_to_dict(text).items() if v is not None}
    except psycopg.Error:
        return None


@pytest.mark.parametrize("text", shapes())
def test_ours_reads_a_string_as_libpq_does_or_refuses_it(text: str) -> None:
    try:
        ours = conninfo.parse(text, "x")
    except conninfo.InvalidConnectionString:
        return  # stricter than libpq is allowed
    theirs = libpq(text)
    assert theirs is not None, "ours accepted what libpq refuses"
    assert {k: v for k, v in ours.items() if v} == {k: v for k, v in theirs.items() if v}


def test_the_reported_leaks_are_refused_by_ours_while_libpq_reads_a_host_or_database() -> None:
    assert libpq(MALFORMED["unencoded-at"]) == {
        "user": "app", "password": "p", "host": f"{CANARY}@127.0.0.1", "port": "1",
        "dbname": "base1"}
    assert libpq(MALFORMED["unencoded-slash"])["dbname"].startswith(CANARY)  # type: ignore[index]
    for shape in ("unencoded-at", "unencoded-slash"):
        with pytest.raises(conninfo.InvalidConnectionString, match="not shown"):
            conninfo.parse(MALFORMED[shape], "x")
