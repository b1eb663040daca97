"""The environment variables the stack sets on the functions, and the settings read from them.

The names are spelled here only: the CDK constructs (infra/constructs/) import them to set the
variables, and the code and tests that read the variables import them from here too. Only the
standard library is imported here, which keeps cold starts short and lets the CDK app import it.

A handler loads its settings once per execution environment, at import, and fails at once,
naming the variable, if one is missing. Powertools reads its own variables
(POWERTOOLS_SERVICE_NAME, POWERTOOLS_LOG_LEVEL, ...) itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Final


class EnvironmentVariables:
    """Names of the variables the stack sets on the functions that need them."""

    TABLE_NAME: Final = "TABLE_NAME"


class MissingSettingError(RuntimeError):
    """A variable the function needs is not set: the stack that deployed it did not set it."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"environment variable {name} is not set; the service stack sets it on each "
            "function that needs it (see infra/constructs/)"
        )
        self.name = name


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise MissingSettingError(name)
    return value


@dataclass(frozen=True)
class ApiSettings:
    """What the API's function reads from its environment."""

    table_name: str

    @classmethod
    def from_environment(cls) -> ApiSettings:
        return cls(
            table_name=_required(EnvironmentVariables.TABLE_NAME),
        )
