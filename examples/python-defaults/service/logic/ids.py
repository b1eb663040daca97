"""Ids that sort by creation time: ULIDs (https://github.com/ulid/spec).

26 characters of Crockford base32 encode 48 bits of milliseconds since the epoch, then 80 random
bits. Within a process, ids only ever increase, even within one millisecond, so that the order
placed last is always listed first.
"""

import secrets
from datetime import datetime

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RANDOM_BITS = 80


class MonotonicUlids:
    def __init__(self) -> None:
        self._last_ms = 0
        self._last_random = 0

    def new(self, created_at: datetime) -> str:
        """A ULID for something created at `created_at` (a timezone-aware datetime)."""
        ms = int(created_at.timestamp() * 1000)
        if ms <= self._last_ms:
            # Same millisecond (or the clock stepped back): count up from the last id.
            ms, random = self._last_ms, self._last_random + 1
        else:
            random = secrets.randbits(_RANDOM_BITS)
        self._last_ms, self._last_random = ms, random
        value = (ms << _RANDOM_BITS) + random
        return "".join(_ALPHABET[(value >> shift) & 31] for shift in range(125, -1, -5))


new_id = MonotonicUlids().new
