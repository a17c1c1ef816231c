"""The test kit's PostgreSQL server: settings, a crash (immediate stop) and a restart on the same data.

The servers live below ``pg_base`` (a /tmp dir of the session), not pytest's tmp_path: a
concurrent pytest run resets /tmp/pytest-of-<user> to mode 0700, which the server user
(when running as root) could then no longer traverse."""

from __future__ import annotations

import contextlib
import socket
from pathlib import Path

import psycopg
import pytest

from testkit import pgserver
from testkit.ports import free_ports


def test_a_server_started_with_extra_settings_runs_with_them(pg_base: Path) -> None:
    with pgserver.PgServer(pg_base / "kit", settings={"wal_writer_delay": "10ms"}) as server, \
            server.connect() as conn:
        row = conn.execute("SELECT current_setting('wal_writer_delay')").fetchone()
    assert row == ("10ms",)


def test_committed_rows_survive_an_immediate_stop_and_a_restart_on_the_same_data_dir(pg_base: Path) -> None:
    server = pgserver.PgServer(pg_base / "kit", settings={"wal_writer_delay": "10ms"})
    try:
        server.start()
        port = server.port
        with server.connect() as conn:
            conn.execute("CREATE TABLE t (n int)")
            conn.execute("INSERT INTO t VALUES (1), (2)")
        server.stop(mode="immediate")
        assert not server.running
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(server.url(), connect_timeout=2).close()
        server.start()
        assert server.running and server.port == port
        with server.connect() as conn:
            assert conn.execute("SELECT sum(n) FROM t").fetchone() == (3,)
        # The socket URL reaches the same server.
        with psycopg.connect(server.socket_url()) as conn:
            assert conn.execute("SELECT count(*) FROM t").fetchone() == (2,)
    finally:
        server.remove()
    assert not server.root.exists()


def test_free_ports_are_distinct_and_can_be_bound_on_loopback() -> None:
    ports = free_ports(5)
    assert len(set(ports)) == 5
    with contextlib.ExitStack() as stack:
        for port in ports:
            stack.enter_context(socket.socket()).bind(("127.0.0.1", port))
