"""Malformed connection strings that each carry a canary: the canary must never be printed.

Shared by the engine, CLI and operator tests.  Port 1 on loopback refuses connections, so a
shape that happens to parse fails fast without reaching any server.
"""

from __future__ import annotations

CANARY = "Cnry7Qz9LeakMe"

#: name -> connection string (str; non-UTF-8 bytes are in NON_UTF8 below).
MALFORMED: dict[str, str] = {
    "no-scheme": f"es1:{CANARY}@127.0.0.1:55433/es1",
    "bad-percent-escape": f"postgresql://es1:Pass%ZZ{CANARY}@127.0.0.1:1/es1",
    "space-in-password": f"postgresql://es1:Pass word{CANARY}@127.0.0.1:1/es1",
    "trailing-garbage": f"postgresql://es1:{CANARY}@127.0.0.1:1/es1 trailing",
    "query-without-equals": f"postgresql://es1:pw@127.0.0.1:1/es1?sslmode=require&{CANARY}",
    "unterminated-quote": f"host=127.0.0.1 dbname=es1 password='{CANARY}",
    "quote-chars": f"host=127.0.0.1 password=\"{CANARY}' dbname='es1",
    "bad-port": f"postgresql://es1:{CANARY}@127.0.0.1:{CANARY}/es1",
    "unknown-parameter": f"postgresql://es1:{CANARY}@127.0.0.1:1/es1?{CANARY}=1",
    "unknown-keyword": f"host=127.0.0.1 {CANARY}=1",
    "empty": "",
    "huge": f"postgresql://es1:{CANARY}@127.0.0.1:1/es1?application_name=" + "x" * 5000,
    "newline": f"postgresql://es1:{CANARY}\n@127.0.0.1:1/es1",
    "other-scheme": f"mysql://root:{CANARY}@127.0.0.1/es1",
    "bad-sslmode": f"postgresql://es1:pw@127.0.0.1:1/es1?sslmode={CANARY}",
    "percent-nul": f"postgresql://es1:{CANARY}%00@127.0.0.1:1/es1",
    "unclosed-ipv6": f"postgresql://es1:{CANARY}@[::1/es1",
    "password-only": CANARY,
}

#: Not UTF-8 at all (a Secret can hold any bytes).
NON_UTF8 = b"postgresql://es1:\xff\xfe" + CANARY.encode() + b"@127.0.0.1:1/es1"

#: Valid strings that carry the canary as a password: connecting fails (port 1), and the
#: failure message must not carry it either.
VALID_WITH_CANARY: dict[str, str] = {
    "password-in-query": f"postgres://es1@127.0.0.1:1/es1?password={CANARY}",
    "password-in-userinfo": f"postgresql://es1:{CANARY}@127.0.0.1:1/es1",
    "keyword-form": f"host=127.0.0.1 port=1 dbname=es1 password='{CANARY} x'",
}
