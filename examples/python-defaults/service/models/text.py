"""Free text the service accepts from clients: names, e-mail addresses, idempotency keys.

Control characters (NUL, line breaks, escapes) and the invisible marks that reverse how text is
displayed (bidirectional overrides such as U+202E) are refused: they corrupt logs and CSV exports,
and let one name pass for another on screen. So is a value that is only blanks.
"""

import re
from typing import Annotated

from pydantic import AfterValidator

# Unicode category Cc, and the bidirectional formatting characters of category Cf.
_CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(value: str) -> str:
    """`value` if it holds no control characters and is not blank; ValueError otherwise."""
    found = _CONTROL_CHARACTERS.search(value)
    if found:
        raise ValueError(f"must not contain control characters (U+{ord(found.group()):04X})")
    if not value.strip():
        raise ValueError("must not be blank")
    return value


Text = Annotated[str, AfterValidator(printable)]
