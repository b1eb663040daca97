"""The API end to end on the emulator: the real handler, routes, data access and idempotency."""

import time
import uuid

import boto3
import pytest

from tests.api_client import ApiClient

NEW_ORDER = {"items": [{"sku": "BOOK-1", "quantity": 2, "unit_price_cents": 1250}]}


@pytest.fixture
def user_id(api: ApiClient, table: str) -> str:
    """A user with a profile, new to each test."""
    user_id = f"user-{uuid.uuid4().hex[:12]}"
    response = api.post(
        "/users", {"user_id": user_id, "email": f"{user_id}@example.com", "name": "Test User"}
    )
    assert response.status == 201
    return user_id


def _order(api: ApiClient, user_id: str, key: str, order: object = NEW_ORDER) -> dict[str, object]:
    response = api.post(f"/users/{user_id}/orders", order, headers={"Idempotency-Key": key})
    assert response.status == 201, response.body
    return response.body  # type: ignore[no-any-return]


def test_a_created_profile_reads_back(api: ApiClient, user_id: str) -> None:
    body = api.get(f"/users/{user_id}").body
    assert (body["user_id"], body["email"], body["order_count"]) == (
        user_id,
        f"{user_id}@example.com",
        0,
    )


def test_creating_a_profile_twice_is_409_and_keeps_the_first(api: ApiClient, user_id: str) -> None:
    response = api.post(
        "/users", {"user_id": user_id, "email": "someone.else@example.com", "name": "Else"}
    )
    assert response.status == 409
    assert api.get(f"/users/{user_id}").body["email"] == f"{user_id}@example.com"


def test_an_unknown_user_is_404(api: ApiClient, table: str) -> None:
    response = api.get("/users/nobody")
    assert (response.status, response.body["message"]) == (404, "user nobody does not exist")


def test_a_placed_order_is_201_with_its_total_and_counted_on_the_profile(
    api: ApiClient, user_id: str
) -> None:
    order = _order(api, user_id, "key-1")
    assert (order["user_id"], order["total_cents"], order["item_count"]) == (user_id, 2500, 1)
    assert api.get(f"/users/{user_id}").body["order_count"] == 1


def test_an_order_for_a_user_without_profile_is_404(api: ApiClient, table: str) -> None:
    response = api.post("/users/nobody/orders", NEW_ORDER, headers={"Idempotency-Key": "key-1"})
    assert response.status == 404
    assert api.get("/users/nobody/orders").body["orders"] == []


def test_a_retried_order_returns_the_same_order_and_is_stored_once(
    api: ApiClient, user_id: str
) -> None:
    first = _order(api, user_id, "retry-me")
    retried = _order(api, user_id, "retry-me")
    assert retried == first
    assert api.get(f"/users/{user_id}").body["order_count"] == 1


def test_the_same_key_for_a_different_order_is_422(api: ApiClient, user_id: str) -> None:
    _order(api, user_id, "used-once")
    other = {"items": [{"sku": "PEN-7", "quantity": 1, "unit_price_cents": 199}]}
    response = api.post(f"/users/{user_id}/orders", other, headers={"Idempotency-Key": "used-once"})
    assert response.status == 422
    assert api.get(f"/users/{user_id}").body["order_count"] == 1


def test_orders_are_listed_newest_first_a_page_at_a_time(api: ApiClient, user_id: str) -> None:
    placed = [_order(api, user_id, f"key-{n}")["order_id"] for n in range(3)]
    first = api.get(f"/users/{user_id}/orders", query={"limit": "2"}).body
    second = api.get(
        f"/users/{user_id}/orders", query={"limit": "2", "next_token": first["next_token"]}
    ).body
    assert [o["order_id"] for o in first["orders"] + second["orders"]] == placed[::-1]


def test_an_order_and_its_items_are_read_by_order_id(api: ApiClient, user_id: str) -> None:
    order = _order(api, user_id, "key-1")
    assert api.get(f"/orders/{order['order_id']}").body == order
    assert api.get(f"/orders/{order['order_id']}/items").body == {
        "items": [{"line": 1, "sku": "BOOK-1", "quantity": 2, "unit_price_cents": 1250}]
    }


def test_idempotency_records_expire_through_the_table_ttl(
    api: ApiClient, user_id: str, table: str
) -> None:
    _order(api, user_id, "expiring")
    records = boto3.client("dynamodb").query(
        TableName=table,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": "IDEMPOTENCY"}},
    )["Items"]
    assert records
    now = time.time()
    for record in records:
        assert now < int(record["ttl"]["N"]) <= now + 24 * 60 * 60 + 60
