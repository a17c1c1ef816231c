"""Flyway's own checksum of a migration file, and how one is kept in our history table.

Separate from engine/flyway.py (the import, which needs the database) so that the planner can
compare a file with a checksum Flyway recorded without importing it.
"""

from __future__ import annotations

import re
import zlib

#: What Java's BufferedReader.readLine ends a line at: CRLF, LF or a lone CR.
_LINE_END = re.compile(r"\r\n|\r|\n")
#: Prefix of the checksum recorded for a file whose content differs from what Flyway applied:
#: never equal to a file's SHA-256, so the file shows as modified, like a file edited after
#: db-migrate applied it.
FLYWAY_CHECKSUM = "flyway-crc32:"


def crc32(text: str) -> int:
    """Flyway's checksum of a migration, as its ``ChecksumCalculator`` computes it: the file
    is read line by line (``BufferedReader.readLine``: a line ends at CRLF, LF or CR; a final
    terminator starts no extra line), a UTF-8 BOM is dropped from the first line, and a CRC32
    is updated with each line's UTF-8 bytes without its terminator.  Java's ``(int)`` cast
    makes the result a signed 32-bit number.  Updating per line equals one CRC over the lines
    joined, and line ends do not count, so CRLF and LF checkouts give the same value."""
    lines = _LINE_END.split(text.removeprefix("\ufeff"))
    if lines[-1] == "":
        lines.pop()  # "a\n" is one line for readLine, "" is none
    value = zlib.crc32("".join(lines).encode("utf-8"))
    return value - (1 << 32) if value >= 1 << 31 else value


def matches(recorded: str, text: str) -> bool:
    """Whether a checksum kept as ``flyway-crc32:<n>`` is Flyway's checksum of ``text``: a
    file edited after Flyway applied it, then restored, is no longer modified."""
    return recorded == f"{FLYWAY_CHECKSUM}{crc32(text)}"
