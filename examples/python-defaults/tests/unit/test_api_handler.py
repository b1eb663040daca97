"""The API's handler on requests it refuses before touching AWS: every one gets a 4xx that says why."""

import base64
import json
from typing import Any

import pytest

from tests.api_client import ApiClient, ApiResponse


def assert_error(response: ApiResponse, status: int) -> None:
    """Every error has one shape: statusCode and message, and detail when the request is invalid."""
    assert response.status == status, response.body
    assert response.body["statusCode"] == status
    assert isinstance(response.body["message"], str)
    assert set(response.body) <= {"statusCode", "message", "detail"}


def test_health_answers_ok_without_a_token(api: ApiClient) -> None:
    response = api.as_user(None).get("/health")
    assert (response.status, response.body) == (200, {"status": "ok"})


# Valid requests to every route that needs a caller. In AWS the authorizer refuses them without
# a token; the handler refuses them too rather than act for nobody.
SIGNED_IN_ONLY: list[tuple[str, str, dict[str, Any]]] = [
    ("POST", "/me", {"body": json.dumps({"email": "alice@example.com", "name": "Alice"})}),
    ("GET", "/me", {}),
    (
        "POST",
        "/me/orders",
        {
            "body": json.dumps(
                {"items": [{"sku": "BOOK-1", "quantity": 1, "unit_price_cents": 1250}]}
            ),
            "headers": {"Idempotency-Key": "k-1"},
        },
    ),
    ("GET", "/me/orders", {}),
    ("GET", "/me/orders/01JD0000000000000000000000", {}),
    ("GET", "/me/orders/01JD0000000000000000000000/items", {}),
]


@pytest.mark.parametrize(
    ("method", "path", "call"), SIGNED_IN_ONLY, ids=[f"{m} {p}" for m, p, _ in SIGNED_IN_ONLY]
)
@pytest.mark.parametrize(
    "subject", [None, "", "alice/../bob", "a" * 129], ids=["no token", "empty", "path", "too long"]
)
def test_a_request_without_a_usable_subject_is_401(
    api: ApiClient, method: str, path: str, call: dict[str, Any], subject: str | None
) -> None:
    response = api.as_user(subject).request(method, path, **call)
    assert_error(response, 401)


def test_unknown_path_is_404(api: ApiClient) -> None:
    assert_error(api.get("/no-such-path"), 404)


def test_a_wrong_method_on_a_known_path_is_405_with_the_allowed_methods(api: ApiClient) -> None:
    response = api.request("DELETE", "/health")
    assert_error(response, 405)
    assert response.headers["Allow"] == "GET"


NEW_ORDER = {"items": [{"sku": "BOOK-1", "quantity": 1, "unit_price_cents": 1250}]}


PROFILE = {"email": "alice@example.com", "name": "Alice"}


def test_malformed_json_is_400_saying_so(api: ApiClient) -> None:
    response = api.post("/me", '{"email": "alice@example.com",')
    assert_error(response, 400)
    assert response.body["message"] == "the request body is not valid JSON"


# Bodies that used to crash the handler (RecursionError, ValueError, binascii.Error,
# UnicodeDecodeError: a 500) or slip through; each is now a 400 saying why.
@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("/me", "[" * 1000 + "]" * 1000, "is nested more than 32 levels deep"),
        ("/me", '{"name": ' + "1" * 4301 + "}", "has an integer of more than 20 digits"),
        (
            "/me/orders",
            '{"items": [{"sku": "A", "quantity": ' + "9" * 4301 + ', "unit_price_cents": 1}]}',
            "has an integer of more than 20 digits",
        ),
        ("/me", json.dumps([PROFILE, {"admin": True}]), "is not a JSON object"),
        ("/me", '{"name": NaN}', "has NaN, which JSON does not allow"),
    ],
    ids=["deep nesting", "huge integer", "huge integer in an order", "top-level array", "NaN"],
)
def test_a_body_beyond_the_parsers_limits_is_400(
    api: ApiClient, path: str, body: str, message: str
) -> None:
    response = api.post(path, body, headers={"Idempotency-Key": "k-1"})
    assert_error(response, 400)
    assert response.body["message"] == f"the request body {message}"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("!!not base64!!", "the request body is not valid base64"),
        (base64.b64encode(b"\xff\xfe{}").decode(), "the request body is not UTF-8 text"),
    ],
    ids=["not base64", "not UTF-8"],
)
def test_a_base64_body_that_does_not_decode_to_text_is_400(
    api: ApiClient, body: str, message: str
) -> None:
    response = api.request("POST", "/me", body=body, base64_encoded=True)
    assert_error(response, 400)
    assert response.body["message"] == message


def test_a_base64_body_that_decodes_to_json_is_read(api: ApiClient) -> None:
    body = base64.b64encode(json.dumps({"name": "Alice"}).encode()).decode()
    response = api.request("POST", "/me", body=body, base64_encoded=True)
    assert_error(response, 422)
    assert [p["loc"] for p in response.body["detail"]] == [["body", "email"]]


def test_a_body_that_is_not_json_is_415_with_a_message(api: ApiClient) -> None:
    response = api.post("/me", "name=Alice", headers={"Content-Type": "text/plain"})
    assert_error(response, 415)


def test_missing_field_is_422_naming_the_field(api: ApiClient) -> None:
    response = api.post("/me", {"email": "alice@example.com"})
    assert response.status == 422
    assert [(p["loc"], p["type"]) for p in response.body["detail"]] == [
        (["body", "name"], "missing")
    ]


def test_unexpected_field_is_422(api: ApiClient) -> None:
    response = api.post("/me", {**PROFILE, "user_id": "bob"})
    assert response.status == 422
    assert response.body["detail"][0]["loc"] == ["body", "user_id"]


def test_bad_order_id_is_422_with_the_rule_it_breaks(api: ApiClient) -> None:
    response = api.get("/me/orders/not-a-ulid/items")
    assert response.status == 422
    (problem,) = response.body["detail"]
    assert problem["loc"] == ["path", "order_id"]
    assert "pattern" in problem["msg"]


def test_page_size_out_of_range_is_422(api: ApiClient) -> None:
    response = api.get("/me/orders", query={"limit": "1000"})
    assert response.status == 422
    assert response.body["detail"][0]["loc"] == ["query", "limit"]


def test_order_without_an_idempotency_key_is_422(api: ApiClient) -> None:
    response = api.post("/me/orders", NEW_ORDER)
    assert response.status == 422
    assert response.body["detail"][0]["loc"] == ["header", "idempotency-key"]


def test_order_without_items_is_422(api: ApiClient) -> None:
    response = api.post("/me/orders", {"items": []}, headers={"Idempotency-Key": "k-1"})
    assert response.status == 422
    assert response.body["detail"][0]["loc"] == ["body", "items"]


def test_negative_quantity_is_422(api: ApiClient) -> None:
    order = {"items": [{"sku": "BOOK-1", "quantity": -1, "unit_price_cents": 1250}]}
    response = api.post("/me/orders", order, headers={"Idempotency-Key": "k-1"})
    assert response.status == 422
    assert response.body["detail"][0]["loc"] == ["body", "items", 0, "quantity"]


# Money and quantities are strict numbers: no boolean, string or fraction is coerced into one.
@pytest.mark.parametrize("field", ["quantity", "unit_price_cents"])
@pytest.mark.parametrize("value", [True, "3", 3.5], ids=["boolean", "string", "fraction"])
def test_a_number_that_is_not_an_integer_is_422(api: ApiClient, field: str, value: Any) -> None:
    line = {"sku": "BOOK-1", "quantity": 1, "unit_price_cents": 1250, field: value}
    response = api.post("/me/orders", {"items": [line]}, headers={"Idempotency-Key": "k"})
    assert_error(response, 422)
    assert response.body["detail"][0]["loc"] == ["body", "items", 0, field]


CONTROL_CHARACTERS = ["\x00", "\n", "\x1b", "\x7f", "\u202e", "\u2066", "\u200f"]


@pytest.mark.parametrize("field", ["name", "email"])
@pytest.mark.parametrize("character", CONTROL_CHARACTERS)
def test_a_control_character_in_a_profile_is_422(
    api: ApiClient, field: str, character: str
) -> None:
    value = {"name": f"Ali{character}ce", "email": f"ali{character}ce@example.com"}[field]
    response = api.post("/me", {**PROFILE, field: value})
    assert_error(response, 422)
    assert [p["loc"] for p in response.body["detail"]] == [["body", field]]


@pytest.mark.parametrize("key", [f"key{c}1" for c in CONTROL_CHARACTERS] + ["   ", "\t"])
def test_an_idempotency_key_with_control_characters_or_only_blanks_is_422(
    api: ApiClient, key: str
) -> None:
    response = api.post("/me/orders", NEW_ORDER, headers={"Idempotency-Key": key})
    assert_error(response, 422)
    assert response.body["detail"][0]["loc"] == ["header", "idempotency-key"]
