"""Parse and check a PostgreSQL connection string without ever quoting it.

libpq's and psycopg's parsers put the offending text into their error messages
(``invalid percent-encoded token: "Pass%ZZ"``), password included.  Every connection string
that comes from a user (``--url``, ``DB_MIGRATE_URL_*``, a Secret) goes through this parser
first; its messages name where the string came from and describe the problem by position,
and only what it accepts is rebuilt (:func:`to_conninfo`) and handed to libpq.

Both libpq syntaxes are accepted: ``postgresql://`` / ``postgres://`` URLs and ``key=value``
strings.  Parameter *names* from libpq's own vocabulary may be named in a message; nothing
else from the string ever is.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping

from db_migrate.engine.errors import InvalidInput

#: Longer strings are refused before parsing (a Secret can hold 1 MiB).
MAX_LENGTH = 4096

#: libpq's connection keywords (PostgreSQL 18).  An unknown name is refused without being named.
KEYWORDS = frozenset({
    "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "require_auth",
    "channel_binding", "connect_timeout", "client_encoding", "options", "application_name",
    "fallback_application_name", "keepalives", "keepalives_idle", "keepalives_interval",
    "keepalives_count", "tcp_user_timeout", "replication", "gssencmode", "sslmode",
    "sslnegotiation", "sslcompression", "sslcert", "sslkey", "sslpassword", "sslcertmode",
    "sslrootcert", "sslcrl", "sslcrldir", "sslsni", "requirepeer",
    "ssl_min_protocol_version", "ssl_max_protocol_version", "krbsrvname", "gsslib",
    "gssdelegation", "service", "servicefile", "target_session_attrs", "load_balance_hosts",
})

_TLS = ("", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3")
#: Values libpq checks only when connecting, and then quotes in its error: checked here instead.
_ENUMS: Mapping[str, tuple[str, ...]] = {
    "sslmode": ("disable", "allow", "prefer", "require", "verify-ca", "verify-full"),
    "gssencmode": ("disable", "prefer", "require"),
    "channel_binding": ("disable", "prefer", "require"),
    "sslnegotiation": ("postgres", "direct"),
    "sslcertmode": ("disable", "allow", "require"),
    "target_session_attrs": ("any", "read-write", "read-only", "primary", "standby",
                             "prefer-standby"),
    "load_balance_hosts": ("disable", "random"),
    "replication": ("true", "on", "yes", "1", "false", "off", "no", "0", "database"),
    "gsslib": ("", "gssapi", "sspi"),
    "ssl_min_protocol_version": _TLS,
    "ssl_max_protocol_version": _TLS,
    "sslcompression": ("0", "1"),
    "sslsni": ("0", "1"),
    "keepalives": ("0", "1"),
    "gssdelegation": ("0", "1"),
}
_INTEGERS = ("connect_timeout", "keepalives_idle", "keepalives_interval", "keepalives_count",
             "tcp_user_timeout")
#: Parameters whose values are confined to numbers or a fixed vocabulary by _check_values.
CONFINED = frozenset({*_ENUMS, *_INTEGERS, "port", "hostaddr", "require_auth"})
_AUTH_METHODS = ("password", "md5", "gss", "sspi", "scram-sha-256", "oauth", "none")
_HEX = re.compile(r"[0-9A-Fa-f]{2}")
_SCHEMES = ("postgresql://", "postgres://")


class InvalidConnectionString(InvalidInput):
    """A connection string that cannot be used; the message never contains any of it."""

    reason = "InvalidConnectionString"


class _Bad(Exception):
    """A problem at a 0-based position (or None), turned into InvalidConnectionString."""

    def __init__(self, problem: str, at: int | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.at = at


def parse(text: str, origin: str) -> dict[str, str]:
    """Parameters of ``text``; ``origin`` ("--url", "Secret ns/name key url") leads any error."""
    try:
        return _parse(text)
    except _Bad as bad:
        where = f" at position {bad.at + 1}" if bad.at is not None else ""
        problem = bad.problem if bad.problem.startswith("is ") else f"has {bad.problem}"
        raise InvalidConnectionString(f"{origin}: {problem}{where} "
                                      "(the value is not shown)") from None


def to_conninfo(params: Mapping[str, str]) -> str:
    """A libpq ``key=value`` string that libpq parses back to exactly ``params``."""
    def quote(value: str) -> str:
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return " ".join(f"{key}={quote(value)}" for key, value in params.items())


def _parse(text: str) -> dict[str, str]:
    if not text.strip():
        raise _Bad("is empty")
    if len(text) > MAX_LENGTH:
        raise _Bad(f"is {len(text)} characters long, more than the {MAX_LENGTH} allowed")
    for i, ch in enumerate(text):
        if ch == "\x00" or ch == "\ufffd" or 0xD800 <= ord(ch) <= 0xDFFF:
            raise _Bad("a NUL or a byte that is not UTF-8", i)
    if text.startswith(_SCHEMES):
        params = _parse_url(text)
    elif re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text):
        raise _Bad("is not a postgresql:// URL (another scheme)")
    elif "=" not in text:
        raise _Bad("is not a postgresql:// URL, nor a key=value connection string")
    else:
        params = _parse_keywords(text)
    _check_values(params)
    return params


def _decode(text: str, start: int, end: int) -> str:
    """Percent-decode text[start:end] as libpq does (UTF-8, no %00)."""
    out = bytearray()
    i = start
    while i < end:
        ch = text[i]
        if ch == "%":
            if not _HEX.fullmatch(text[i + 1:i + 3]) or i + 3 > end:
                raise _Bad("a bad percent-escape", i)
            byte = int(text[i + 1:i + 3], 16)
            if byte == 0:
                raise _Bad("a percent-escape of a NUL byte", i)
            out.append(byte)
            i += 3
        else:
            out += ch.encode("utf-8")
            i += 1
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        raise _Bad("percent-escapes that are not UTF-8", start) from None


def _parse_url(text: str) -> dict[str, str]:
    for i, ch in enumerate(text):
        if ch.isspace() or not ch.isprintable():
            raise _Bad("a space or control character (encode it as %XX)", i)
    start = len(next(s for s in _SCHEMES if text.startswith(s)))
    query_at = text.find("?", start)
    end = query_at if query_at >= 0 else len(text)
    params: dict[str, str] = {}
    # libpq: user credentials end at the first '@' that comes before any '/'.
    slash = text.find("/", start, end)
    at = text.find("@", start, slash if slash >= 0 else end)
    if at >= 0:
        colon = text.find(":", start, at)
        user_end = colon if colon >= 0 else at
        if user_end > start:
            params["user"] = _decode(text, start, user_end)
        if colon >= 0:
            params["password"] = _decode(text, colon + 1, at)
        start = at + 1
    host_end = slash if slash >= 0 else end
    # libpq would read "p@ss@host" as password "p", host "ss@host", and "u:pa/ss@host" as host
    # "u", dbname "ss@host": a password with an unencoded '@' or '/' then shows up, in part, as
    # a host or database name in every message.  No real host or database name holds an '@'.
    stray = text.find("@", start, end)
    if stray >= 0:
        raise _Bad("an '@' that does not end the user and password (encode an '@', '/' or '?' "
                   "in a password as %40, %2F, %3F)", stray)
    hosts, ports = _parse_hosts(text, start, host_end)
    if any(hosts):
        params["host"] = ",".join(hosts)
    if any(ports) or len(ports) > 1:  # as libpq: one (possibly empty) port per host
        params["port"] = ",".join(ports)
    if slash >= 0 and slash + 1 < end:
        params["dbname"] = _decode(text, slash + 1, end)
    if query_at >= 0:
        params.update(_parse_query(text, query_at + 1))
    return params


def _parse_hosts(text: str, start: int, end: int) -> tuple[list[str], list[str]]:
    hosts: list[str] = []
    ports: list[str] = []
    pos = start
    while True:
        comma = _next_comma(text, pos, end)
        part_end = comma if comma >= 0 else end
        if text.startswith("[", pos) and pos < part_end:
            close = text.find("]", pos, part_end)
            if close < 0:
                raise _Bad("an IPv6 address without its closing ']'", pos)
            host = text[pos + 1:close]
            try:
                ipaddress.IPv6Address(host)
            except ValueError:
                raise _Bad("a bracketed host that is not an IPv6 address", pos) from None
            rest = close + 1
            if rest < part_end and text[rest] != ":":
                raise _Bad("characters after ']'", rest)
        else:
            colon = text.find(":", pos, part_end)
            rest = colon if colon >= 0 else part_end
            host = _decode(text, pos, rest)
            if "[" in host or "]" in host:
                # libpq splits such a host list at a comma we would keep inside the brackets.
                raise _Bad("a '[' or ']' outside an IPv6 address", pos)
        port = ""
        if rest < part_end:  # text[rest] == ':'
            port = text[rest + 1:part_end]
            _check_port(port, rest + 1)
        hosts.append(host)
        ports.append(port)
        if comma < 0:
            return hosts, ports
        pos = comma + 1


def _next_comma(text: str, pos: int, end: int) -> int:
    depth = 0
    for i in range(pos, end):
        if text[i] == "[":
            depth += 1
        elif text[i] == "]":
            depth = max(0, depth - 1)
        elif text[i] == "," and depth == 0:
            return i
    return -1


def _parse_query(text: str, start: int) -> dict[str, str]:
    params: dict[str, str] = {}
    pos = start
    while pos <= len(text):
        amp = text.find("&", pos)
        end = amp if amp >= 0 else len(text)
        eq = text.find("=", pos, end)
        if eq < 0:
            raise _Bad("a query parameter without '='", pos)
        if text.find("=", eq + 1, end) >= 0:
            raise _Bad("a query parameter with two '='", pos)
        key = _decode(text, pos, eq)
        value = _decode(text, eq + 1, end)
        if key == "ssl":  # libpq's JDBC-compatible spelling
            if value != "true":
                raise _Bad("an ssl= value other than true", eq + 1)
            key, value = "sslmode", "require"
        if key not in KEYWORDS:
            raise _Bad("an unknown parameter", pos)
        params[key] = value
        if amp < 0:
            break
        pos = amp + 1
    return params


def _parse_keywords(text: str) -> dict[str, str]:
    """libpq's ``key = value`` syntax: values bare or single-quoted, backslash escapes."""
    params: dict[str, str] = {}
    i, n = 0, len(text)
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            return params
        key_at = i
        while i < n and text[i] != "=" and not text[i].isspace():
            i += 1
        key = text[key_at:i]
        while i < n and text[i].isspace():
            i += 1
        if i >= n or text[i] != "=":
            raise _Bad("a parameter without '=' after its name", key_at)
        if key not in KEYWORDS:
            raise _Bad("an unknown parameter", key_at)
        i += 1
        while i < n and text[i].isspace():
            i += 1
        value: list[str] = []
        if i < n and text[i] == "'":
            quote_at = i
            i += 1
            while True:
                if i >= n:
                    raise _Bad("an unterminated quoted value", quote_at)
                if text[i] == "\\" and i + 1 < n:
                    value.append(text[i + 1])
                    i += 2
                elif text[i] == "'":
                    i += 1
                    break
                else:
                    value.append(text[i])
                    i += 1
        else:
            while i < n and not text[i].isspace():
                if text[i] == "\\":
                    # libpq drops a backslash that ends the string (found by comparing the two
                    # parsers: test_conninfo_libpq.py).
                    value.extend(text[i + 1:i + 2])
                    i += 2
                else:
                    value.append(text[i])
                    i += 1
        params[key] = "".join(value)


def _check_port(port: str, at: int | None) -> None:
    if not port.isdigit() or not port.isascii() or not 1 <= int(port) <= 65535:
        raise _Bad("a port that is not a number from 1 to 65535", at)


def _check_values(params: Mapping[str, str]) -> None:
    for key, value in params.items():
        if key == "password":
            continue  # any text is a valid password
        if any(not ch.isprintable() for ch in value):
            raise _Bad(f"a control character in {key}")
        if key == "port":
            for port in value.split(","):
                if port:  # an empty entry of a host list means the default port
                    _check_port(port, None)
        elif key == "hostaddr":
            for addr in value.split(","):
                try:
                    ipaddress.ip_address(addr)
                except ValueError:
                    raise _Bad("a hostaddr that is not an IP address") from None
        elif key in _INTEGERS:
            if not value.lstrip("-").isdigit() or not value.isascii():
                raise _Bad(f"a {key} value that is not an integer")
        elif key in _ENUMS and value not in _ENUMS[key]:
            raise _Bad(f"a {key} value that is not one of {', '.join(v for v in _ENUMS[key] if v)}")
        elif key == "require_auth":
            methods = [m.removeprefix("!") for m in value.split(",")]
            if any(m not in _AUTH_METHODS for m in methods):
                raise _Bad(f"a require_auth value that is not a list of {', '.join(_AUTH_METHODS)}")


__all__ = ["CONFINED", "KEYWORDS", "MAX_LENGTH", "InvalidConnectionString", "parse", "to_conninfo"]
