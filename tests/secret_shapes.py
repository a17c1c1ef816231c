"""Malformed connection strings that each carry a canary: the canary must never be printed.

Shared by the engine, CLI and operator tests.  Port 1 on loopback refuses connections, so a
shape that happens to parse fails fast without reaching any server.
"""

from __future__ import annotations

import random
from collections.abc import Callable

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
    # Issue 17: libpq reads the rest of such a password as part of the host or database name.
    "unencoded-at": f"postgresql://app:p@{CANARY}@127.0.0.1:1/base1",
    "unencoded-slash": f"postgresql://app:5432/{CANARY}@127.0.0.1:1/base1",
    "at-in-dbname-after-slash": f"postgresql://app@127.0.0.1:1/{CANARY}@x",
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

#: Valid strings whose values the *server* quotes in part when it refuses them: each takes a
#: real server's ``postgresql://user@/postgres?host=...&port=...`` URL.
SERVER_QUOTED: dict[str, Callable[[str], str]] = {
    "option-value": lambda url: f"{url}&options=-c%20statement_timeout%3D{CANARY}",
    "option-role": lambda url: f"{url}&options=-c%20role%3D{CANARY}",
    "dbname": lambda url: url.replace("/postgres?", f"/{CANARY}?", 1),
}


_RESERVED = "@/:?#[]%&=' \\\"+,;"


def generated_shapes(rng: random.Random, count: int) -> list[str]:
    """New shapes: the canary cut in pieces with reserved characters and percent-escapes
    between them, put in the userinfo, host, path or query of a URL or a key=value string."""
    out = []
    for _ in range(count):
        cut = [CANARY[i:i + rng.randrange(2, 6)] for i in range(0, len(CANARY), 4)]
        noise = [rng.choice(_RESERVED) + (f"%{rng.randrange(256):02X}" if rng.random() < 0.3 else "")
                 for _ in cut]
        secret = "".join(a + b for a, b in zip(cut, noise, strict=True))
        place = rng.randrange(5)
        out.append([
            f"postgresql://app:{secret}@127.0.0.1:1/base1",
            f"postgresql://app@{secret}:1/base1",
            f"postgresql://app:pw@127.0.0.1:1/{secret}",
            f"postgresql://app@127.0.0.1:1/base1?options={secret}",
            f"host=127.0.0.1 port=1 password={secret}",
        ][place])
    return out


def leaked(text: str, secret: str = CANARY, run: int = 4) -> bool:
    """Whether ``text`` holds any run of ``run`` characters of ``secret`` (case ignored)."""
    low, sec = text.lower(), secret.lower()
    return any(sec[i:i + run] in low for i in range(len(sec) - run + 1))
