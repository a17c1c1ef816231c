"""Connecting, session settings, and keeping credentials out of every message."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable

import psycopg
from psycopg.rows import TupleRow

from db_migrate.engine import conninfo
from db_migrate.engine.errors import AuthenticationFailed, Unavailable
from db_migrate.engine.options import RunOptions
from db_migrate.engine.scrub import Scrubber

#: The connection type every engine module uses (rows are plain tuples).
Conn = psycopg.Connection[TupleRow]

_URL_PASSWORD = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^:/?#@\s]*:)(?P<pw>[^@/?#\s]*)(?=@)", re.I)
_KV_PASSWORD = re.compile(r"(?P<head>\bpassword\s*=\s*)(?P<pw>'(?:[^'\\]|\\.)*'|\S+)", re.I)


def redact(text: str, secrets: Iterable[str] | Scrubber = ()) -> str:
    """Hide passwords in URLs (``user:***@``), key=value conninfo, and every run of 4 or more
    characters of any known secret (engine/scrub.py)."""
    text = _URL_PASSWORD.sub(lambda m: m["head"] + "***" if m["pw"] else m["head"], text)
    text = _KV_PASSWORD.sub(lambda m: m["head"] + "***", text)
    scrubber = secrets if isinstance(secrets, Scrubber) else Scrubber(secrets)
    return scrubber(text)


def password_of(url: str) -> str | None:
    try:
        value = conninfo.parse(url, "connection string").get("password")
    except conninfo.InvalidConnectionString:
        return None
    return value or None


def secrets_of(url: str) -> list[str]:
    """Every part of ``url`` that a message must never show, by any reading of it.

    The password as our parser (and so libpq) reads it; for a URL, also everything between the
    first ``:`` after the scheme and the *last* ``@``, which is what a person meant as the
    password when it holds an unencoded ``@`` or ``/``; and the value of every parameter that
    is not a plain locator (``options``, ``passfile``, ``sslpassword``...), which servers and
    libpq quote in part."""
    out: list[str] = []
    head = next((p for p in ("postgresql://", "postgres://") if url.startswith(p)), None)
    if head is not None and "@" in url:
        userinfo = url[len(head):url.rindex("@")]
        if ":" in userinfo:
            out.append(userinfo.split(":", 1)[1])
    try:
        params = conninfo.parse(url, "connection string")
    except conninfo.InvalidConnectionString:
        return out
    out += [v for k, v in params.items() if v and (k == "password" or k not in _SHOWN)]
    return out


def describe_target(url: str) -> str:
    """A credential-free description of where a URL points (for output and status)."""
    try:
        params = conninfo.parse(url, "connection string")
    except conninfo.InvalidConnectionString:
        return "an invalid connection string"
    host = params.get("host") or params.get("hostaddr") or "localhost"
    port = params.get("port")
    where = host if host.startswith("/") else f"{host}:{port or 5432}"
    return f"{params.get('dbname') or params.get('user') or '?'} on {where}"


#: Parameters whose values error messages may show: where (status.target shows it already),
#: who, and values our parser confined to numbers or libpq's fixed vocabularies.
_SHOWN = frozenset({"host", "dbname", "user", "application_name", *conninfo.CONFINED})


def scrub(message: str, params: dict[str, str]) -> str:
    """A libpq/psycopg message without any value of ``params`` except the shown ones.

    libpq echoes option values in some errors (``invalid sslcert value: "..."``); the scrubber
    masks every run of them, so no order among the values is needed."""
    return redact(message, [v for k, v in params.items() if k not in _SHOWN and v])


#: libpq's and the server's words for "the credential was refused or not offered by our rules"
#: (libpq reports no SQLSTATE for a failed connection, so the text is all there is).
_AUTH_FAILURES = re.compile(
    r"password authentication failed|authentication method requirement|SCRAM|"
    r"server requested (?:a cleartext|an? MD5|SASL)|no password supplied|"
    r"channel binding|server did not complete authentication|"
    r"invalid authentication request|fe_sendauth", re.I)


def _auth_failure(message: str) -> bool:
    return bool(_AUTH_FAILURES.search(message))


def _check_passfile(params: dict[str, str], database: str) -> None:
    """libpq writes its passfile warnings straight to fd 2, quoting the path (which may come
    from a Secret): check what it would warn about first, in our own words, without the path."""
    path = params.get("passfile")
    if not path:
        return
    try:
        st = os.stat(path)
    except OSError:
        return  # libpq ignores a missing passfile silently
    problem = ("is not a plain file" if not stat.S_ISREG(st.st_mode)
               else "has group or world access (it must be mode 0600 or less)"
               if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO) else None)
    if problem:
        raise conninfo.InvalidConnectionString(
            f"{database}: the passfile named in the connection string {problem} "
            "(the path is not shown)")


def connect(url: str, options: RunOptions, *, database: str, target: str | None = None) -> Conn:
    """An autocommit connection with the run's session settings (one extra round trip).

    The string is checked by our own parser first (InvalidConnectionString, permanent), so
    libpq only ever parses the quoted ``key=value`` form we rebuild."""
    params = conninfo.parse(url, f"{database}: the connection string")
    _check_passfile(params, database)
    params["application_name"] = options.application_name
    params["connect_timeout"] = str(max(1, round(options.connect_timeout_s)))
    try:
        conn: Conn = psycopg.connect(conninfo.to_conninfo(params), autocommit=True)
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        error = AuthenticationFailed if _auth_failure(str(exc)) else Unavailable
        raise error(
            f"{database}: cannot connect to {target or describe_target(url)}: {scrub(first, params)}"
        ) from None
    settings = {
        "lock_timeout": f"{round(options.pg_lock_timeout_s * 1000)}ms",
        "statement_timeout": f"{round(options.statement_timeout_s * 1000)}ms",
    }
    if conn.info.server_version >= 140000:
        settings["client_connection_check_interval"] = (
            f"{round(options.connection_check_interval_s * 1000)}ms"
        )
    query = "SELECT " + ", ".join(f"set_config('{name}', %s, false)" for name in settings)
    conn.execute(query, list(settings.values()))
    return conn
