"""Discovery and checksums: pure, no server needed."""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

import pytest

from db_migrate.engine.checksum import checksum
from db_migrate.engine.discovery import discover
from db_migrate.engine.errors import InvalidMigrationSet
from db_migrate.engine.seeds import SeedMode, seed_sets_for
from db_migrate.engine.source import DirectorySource, MappingSource, SourceFile
from tests.conftest import Project


def _source(project: Project) -> DirectorySource:
    return DirectorySource(project.migrations, project.seeds)


def test_versions_are_ordered_as_integers_so_v2_runs_before_v10(project: Project) -> None:
    for name in ("V10__ten.sql", "V2__two.sql", "V001__one.sql"):
        project.migration("db", name, "SELECT 1;")
    found = discover(_source(project), "db")
    assert [str(s.version) for s in found.migrations] == ["1", "2", "10"]
    assert found.migrations[1].description == "two"


def test_every_offending_file_is_named_at_once(project: Project) -> None:
    project.migration("db", "V1__ok.sql", "SELECT 1;")
    project.migration("db", "create_users.sql", "SELECT 1;")
    project.migration("db", "V2_single_underscore.sql", "SELECT 1;")
    project.migration("db", "V1.2-x.sql", "SELECT 1;")
    project.migration("db", "v6__lower_case.sql", "SELECT 1;")
    project.migration("db", "V3__a.sql", "SELECT 1;")
    project.migration("db", "V003__b.sql", "SELECT 1;")
    project.migration("db", "V4__latin1.sql", b"SELECT 'caf\xe9';")
    project.migration("db", "V5__empty.sql", b"  \n")
    with pytest.raises(InvalidMigrationSet) as info:
        discover(_source(project), "db")
    message = str(info.value)
    for expected in ("V1.2-x.sql has a bad name", "v6__lower_case.sql has a bad name",
                     "V2_single_underscore.sql has a bad name",
                     "version 3 is used by more than one file", "V003__b.sql", "V3__a.sql",
                     "V4__latin1.sql is not valid UTF-8"):
        assert expected in message
    # An empty file is accepted, as Flyway accepts it (test_flyway_files.py).
    assert "V1__ok.sql" not in message and "V5__empty.sql" not in message
    # Not named like a migration at all: a template or script, ignored with a warning per run.
    assert "create_users.sql" not in message
    assert info.value.exit_code == 2


def test_non_sql_files_in_a_migrations_folder_are_ignored(project: Project) -> None:
    project.migration("db", "V1__ok.sql", "SELECT 1;")
    project.migration("db", "README.md", "notes")
    assert len(discover(_source(project), "db").migrations) == 1


def test_checksum_of_a_plain_lf_file_equals_sha256sum(tmp_path: Path) -> None:
    path = tmp_path / "V1__x.sql"
    path.write_bytes(b"CREATE TABLE IF NOT EXISTS t (id int);\n")
    sha256sum = subprocess.run(["sha256sum", str(path)], capture_output=True, text=True,
                               check=True).stdout.split()[0]
    assert checksum(path.read_bytes()) == sha256sum


def test_crlf_and_bom_do_not_change_the_checksum() -> None:
    lf = b"SELECT 1;\nSELECT 2;\n"
    assert checksum(b"SELECT 1;\r\nSELECT 2;\r\n") == checksum(lf)
    assert checksum(b"\xef\xbb\xbf" + lf) == checksum(lf)
    assert checksum(lf) == hashlib.sha256(lf).hexdigest()
    # Whitespace inside the text still matters: a real edit must never go unnoticed.
    assert checksum(b"SELECT  1;\nSELECT 2;\n") != checksum(lf)


@pytest.mark.parametrize(("mode", "expected"), [
    (SeedMode.NONE, []),
    (SeedMode.REFERENCE, ["reference"]),
    (SeedMode.SAMPLE, ["reference", "sample"]),
    (SeedMode.FULL, ["reference", "sample", "acme", "customer"]),
])
def test_seed_modes_select_sets_in_order(mode: SeedMode, expected: list[str]) -> None:
    assert seed_sets_for(mode, ["customer", "sample", "reference", "acme"]) == expected


def test_configmap_style_mapping_source_validates_like_a_directory() -> None:
    files = [SourceFile("V1__a.sql", b"SELECT 1;", "ConfigMap ns/sql key V1__a.sql"),
             SourceFile("V2-b.sql", b"SELECT 1;", "ConfigMap ns/sql key V2-b.sql")]
    with pytest.raises(InvalidMigrationSet, match=re.escape("ConfigMap ns/sql key V2-b.sql has a bad name")):
        discover(MappingSource({"db": files}), "db")
