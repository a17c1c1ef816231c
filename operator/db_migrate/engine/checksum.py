"""Content checksums.

SHA-256 (hex) of the file after removing only what is safe to remove: a leading UTF-8 BOM,
and CRLF line ends converted to LF.  For a plain LF file without BOM the value equals
``sha256sum FILE``; Windows checkouts (CRLF) get the same checksum as Unix ones.
Whitespace is otherwise significant: Liquibase's whitespace stripping hides real edits.
"""

from __future__ import annotations

import hashlib

_BOM = b"\xef\xbb\xbf"


def normalize(content: bytes) -> bytes:
    if content.startswith(_BOM):
        content = content[len(_BOM) :]
    return content.replace(b"\r\n", b"\n")


def checksum(content: bytes) -> str:
    return hashlib.sha256(normalize(content)).hexdigest()
