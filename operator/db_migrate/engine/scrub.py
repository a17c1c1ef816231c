"""One scrubber for every string the CLI or the operator emits.

Scrubbing single fields one by one kept missing shapes: a password with an unencoded ``@``
read as part of the host, a server quoting a piece of ``options``, libpq quoting a file path.
So the rule is structural: a text leaves the process only after every run of 4 or more
characters that also occurs in a secret value registered for the run has been replaced by
``***``, whatever the text's shape and whoever wrote it (us, libpq, the server, kopf).

Matching is case-insensitive (a server may fold a name to lower case) and works on 4-grams:
a character is hidden when it lies inside any 4-character window that also occurs in a
secret. A value shorter than 4 characters cannot be matched that way without hiding common
words, so it is replaced where it stands as a whole token.

``keep`` lists public words that the resource's author wrote (the set's name, the resource's
name): a token equal to one of them is shown even when a secret happens to contain it, since
its presence says nothing about the secret.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: The shortest run of a secret that is hidden.
MIN_RUN = 4
MASK = "***"
#: Public syntax that a URL value starts with: not secret, and hiding it would hide every
#: "postgres" in every message.
_PUBLIC_PREFIXES = ("postgresql://", "postgres://")


class Scrubber:
    """Registered secret values, and the function that removes them from a text."""

    def __init__(self, values: Iterable[str] = (), *, keep: Iterable[str] = (),
                 parent: Scrubber | None = None) -> None:
        self._grams: set[str] = set()
        self._short: set[str] = set()
        self._keep = {k.lower() for k in keep if k}
        #: Also told of every value and public word (the operator's process-wide scrubber for
        #: its log lines, which name resources).
        self._parent = parent
        if parent is not None:
            parent._keep |= self._keep
        for value in values:
            self.add(value)

    def __bool__(self) -> bool:
        return bool(self._grams or self._short)

    def add(self, value: str | None) -> None:
        """Register a secret value (a password, a whole URL, a file path...)."""
        if not value:
            return
        if self._parent is not None:
            self._parent.add(value)
        low = value.lower()
        for prefix in _PUBLIC_PREFIXES:
            if low.startswith(prefix):
                low = low[len(prefix):]
        if len(low) < MIN_RUN:
            if low.strip():
                self._short.add(low)
            return
        self._grams.update(low[i:i + MIN_RUN] for i in range(len(low) - MIN_RUN + 1))

    def __call__(self, text: str) -> str:
        if not text or not self:
            return text
        low = text.lower()
        hidden = bytearray(len(text))
        if self._grams:
            for i in range(len(low) - MIN_RUN + 1):
                if low[i:i + MIN_RUN] in self._grams:
                    hidden[i:i + MIN_RUN] = b"\x01" * MIN_RUN
        for short in self._short:
            for m in re.finditer(rf"(?<![\w]){re.escape(short)}(?![\w])", low):
                hidden[m.start():m.end()] = b"\x01" * (m.end() - m.start())
        if not any(hidden):
            return text
        if self._keep:
            for word in self._keep:
                for m in re.finditer(rf"(?<![\w.-]){re.escape(word)}(?![\w.-])", low):
                    hidden[m.start():m.end()] = b"\x00" * (m.end() - m.start())
            # What a kept word leaves of a masked run: a separator or two ("ns/name", where the
            # secret held "/name"), shorter than a run and no letter or digit of it.
            i = 0
            while i < len(text):
                j = i
                while j < len(text) and hidden[j]:
                    j += 1
                if j > i and j - i < MIN_RUN and not any(c.isalnum() for c in text[i:j]):
                    hidden[i:j] = b"\x00" * (j - i)
                i = j + 1 if j == i else j
        out: list[str] = []
        i = 0
        while i < len(text):
            if hidden[i]:
                while i < len(text) and hidden[i]:
                    i += 1
                out.append(MASK)
            else:
                j = i
                while j < len(text) and not hidden[j]:
                    j += 1
                out.append(text[i:j])
                i = j
        return "".join(out)


__all__ = ["MASK", "MIN_RUN", "Scrubber"]
