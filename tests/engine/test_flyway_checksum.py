"""Flyway's own checksum (engine.flyway_checksum.crc32), pinned to what Flyway 11.20.3 recorded.

The expected values were read from flyway_schema_history after `flyway migrate` of exactly
these bytes (bench/fetch_flyway.sh's jars, PostgreSQL 18); test_flyway_real.py checks the same
against a live Flyway when its jars are present.
"""

from __future__ import annotations

import pytest

from db_migrate.engine.flyway_checksum import crc32

RECORDED_BY_FLYWAY = [
    (b"CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\n", -279898995),
    (b"CREATE TABLE b (id int);\r\nINSERT INTO b VALUES (1);\r\n", 914031549),
    (b"\xef\xbb\xbfCREATE TABLE c (id int);\n", -2102380136),
    (b"CREATE TABLE d (id int);", -1416942565),
    (b"\n\nCREATE TABLE e (id int);\n\n\n", 1778775003),
    ("CREATE TABLE f (name text DEFAULT 'caf\u00e9 \u2603');\n".encode(), 1703670110),
    (b"CREATE TABLE g (id int);\rSELECT 1;\r", -761427450),
    (b"SELECT 11;\n", -79740465),
    (b"SELECT 8;   \n  \n", 421915265),
]


@pytest.mark.parametrize(("content", "expected"), RECORDED_BY_FLYWAY)
def test_crc32_equals_the_checksum_flyway_recorded_for_the_same_bytes(
        content: bytes, expected: int) -> None:
    assert crc32(content.decode("utf-8")) == expected


def test_line_ends_and_a_bom_do_not_change_flyways_checksum_but_spaces_do() -> None:
    lf = "SELECT 1;\nSELECT 2;\n"
    assert crc32("SELECT 1;\r\nSELECT 2;\r\n") == crc32(lf) == crc32("\ufeff" + lf)
    assert crc32("SELECT 1;\nSELECT 2;") == crc32(lf), "a final line end starts no extra line"
    assert crc32("SELECT 1; \nSELECT 2;\n") != crc32(lf)
    assert crc32("") == 0
