"""Request bodies within the parser's limits are read; beyond them, refused with the reason."""

import base64
import json

import pytest

from service.handlers.request_body import (
    MAX_DEPTH,
    MAX_INTEGER_DIGITS,
    UndecodableBodyError,
    parse_json_object,
    text_body,
)


def nested(depth: int) -> str:
    """A JSON object `depth` levels deep: {"a": [[...]]}."""
    return '{"a": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}"


def test_a_body_as_deep_as_the_limit_is_read() -> None:
    assert parse_json_object(nested(MAX_DEPTH)) == json.loads(nested(MAX_DEPTH))


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5000])
def test_a_body_deeper_than_the_limit_is_refused(depth: int) -> None:
    with pytest.raises(json.JSONDecodeError, match="nested more than 32 levels deep"):
        parse_json_object(nested(depth))


@pytest.mark.parametrize("sign", ["", "-"])
def test_integers_up_to_the_digit_limit_are_read(sign: str) -> None:
    digits = sign + "9" * MAX_INTEGER_DIGITS
    assert parse_json_object('{"n": ' + digits + "}") == {"n": int(digits)}


@pytest.mark.parametrize("digits", [MAX_INTEGER_DIGITS + 1, 4301, 100_000])
def test_a_longer_integer_is_refused_before_conversion(digits: int) -> None:
    with pytest.raises(json.JSONDecodeError, match="integer of more than 20 digits"):
        parse_json_object('{"n": -' + "1" * digits + "}")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_constants_json_does_not_have_are_refused(constant: str) -> None:
    with pytest.raises(json.JSONDecodeError, match=f"has {constant}"):
        parse_json_object('{"n": ' + constant + "}")


@pytest.mark.parametrize("body", ["[]", "[{}]", '"text"', "1", "null", "true"])
def test_anything_but_an_object_is_refused(body: str) -> None:
    with pytest.raises(json.JSONDecodeError, match="is not a JSON object"):
        parse_json_object(body)


@pytest.mark.parametrize("body", ["", "{", '{"a": 1,}', "{'a': 1}"])
def test_malformed_json_is_refused(body: str) -> None:
    with pytest.raises(json.JSONDecodeError, match="is not valid JSON"):
        parse_json_object(body)


def test_a_plain_body_is_left_as_it_is() -> None:
    event = {"body": "{}", "isBase64Encoded": False}
    assert text_body(event) is event


def test_a_base64_body_becomes_text() -> None:
    event = {"body": base64.b64encode('{"name": "Zoë"}'.encode()).decode(), "isBase64Encoded": True}
    assert text_body(event) == {"body": '{"name": "Zoë"}', "isBase64Encoded": False}


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("not base64!", "not valid base64"),
        ("abc", "not valid base64"),
        (base64.b64encode(b"\xc3\x28").decode(), "not UTF-8 text"),
    ],
)
def test_a_base64_body_that_is_not_text_is_refused(body: str, reason: str) -> None:
    with pytest.raises(UndecodableBodyError, match=reason):
        text_body({"body": body, "isBase64Encoded": True})
