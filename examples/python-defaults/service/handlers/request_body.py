"""Request bodies as the API accepts them: UTF-8 text holding one JSON object, within limits.

Python's decoder alone would let a client crash the function: a thousand nested brackets raise
RecursionError, a number of 4,301 digits raises ValueError (the integer conversion limit), a body
API Gateway passes as base64 may not decode. Every route's body goes through here instead, and
every refusal is a `json.JSONDecodeError` (the error Powertools answers with a 400) or, for the
transport encoding, an `UndecodableBodyError`, whose message says what is wrong.
"""

import binascii
import json
from base64 import b64decode
from collections.abc import Mapping
from typing import Any

# Deeper than any body the routes take (an order's lines are three levels down), far below the
# interpreter's recursion limit.
MAX_DEPTH = 32
# Money is integer cents and quantities are small: 20 digits is more than any field allows.
MAX_INTEGER_DIGITS = 20

_refused_constants = ("NaN", "Infinity", "-Infinity")


class UndecodableBodyError(ValueError):
    """A body flagged as base64 that is not base64, or whose bytes are not UTF-8 text."""


def text_body(event: Mapping[str, Any]) -> Mapping[str, Any]:
    """The event with its body as text: API Gateway sends non-text payloads base64-encoded."""
    body = event.get("body")
    if not event.get("isBase64Encoded") or not body:
        return event
    try:
        text = b64decode(body, validate=True).decode("utf-8")
    except binascii.Error:
        raise UndecodableBodyError("the request body is not valid base64") from None
    except UnicodeDecodeError:
        raise UndecodableBodyError("the request body is not UTF-8 text") from None
    return {**event, "body": text, "isBase64Encoded": False}


def parse_json_object(text: str) -> dict[str, Any]:
    """The body's JSON object, or `json.JSONDecodeError` saying why the body is refused."""
    try:
        value = json.loads(text, parse_int=_bounded_int, parse_constant=_refuse_constant)
    except _TooLongIntegerError:
        raise _refused(text, f"has an integer of more than {MAX_INTEGER_DIGITS} digits") from None
    except _ConstantError as error:
        raise _refused(text, f"has {error.args[0]}, which JSON does not allow") from None
    except RecursionError:
        raise _refused(text, f"is nested more than {MAX_DEPTH} levels deep") from None
    except json.JSONDecodeError as error:
        raise _refused(text, "is not valid JSON", error.pos) from None
    if not isinstance(value, dict):
        raise _refused(text, "is not a JSON object")
    if _depth(value) > MAX_DEPTH:
        raise _refused(text, f"is nested more than {MAX_DEPTH} levels deep")
    return value


class _TooLongIntegerError(ValueError):
    pass


class _ConstantError(ValueError):
    pass


def _bounded_int(digits: str) -> int:
    # Checked before int() converts it: conversion time grows with the square of the length.
    if len(digits.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise _TooLongIntegerError
    return int(digits)


def _refuse_constant(name: str) -> Any:
    raise _ConstantError(name)


def _refused(text: str, reason: str, position: int = 0) -> json.JSONDecodeError:
    return json.JSONDecodeError(f"the request body {reason}", text, position)


def _depth(value: Any) -> int:
    """How many arrays and objects deep `value` goes, without recursion."""
    deepest = 0
    pending = [(value, 1)]
    while pending:
        current, depth = pending.pop()
        deepest = max(deepest, depth)
        children = current.values() if isinstance(current, dict) else current
        pending.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest
