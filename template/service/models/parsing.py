"""What EventBridge and its Scheduler deliver, checked by hand: each refusal names the field.

Hand-written rather than a validation library, so that the functions receiving events start
without loading one: that would be most of their cold start.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any


class InvalidEventError(ValueError):
    """An event does not have the shape its handler expects; the message says where."""


def object_of(name: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidEventError(f"{name}: expected an object")
    return value


def value_of(fields: Mapping[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    if name not in fields:
        raise InvalidEventError(f"{name}: missing")
    value = fields[name]
    # To isinstance, True is an int; no field here takes a boolean.
    if isinstance(value, bool) or not isinstance(value, kind):
        raise InvalidEventError(f"{name}: unexpected {type(value).__name__}")
    return value


def timestamp_of(fields: Mapping[str, Any], name: str) -> datetime:
    text = value_of(fields, name, str)
    try:
        timestamp = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidEventError(f"{name}: expected an ISO 8601 date and time") from None
    if timestamp.tzinfo is None:
        raise InvalidEventError(f"{name}: expected a time zone")
    return timestamp
