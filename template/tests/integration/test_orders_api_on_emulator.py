"""The API end to end on the emulator: the real handler, routes, data access and idempotency."""

import time
import uuid

import boto3
import pytest

from tests.api_client import ApiClient

NEW_ORDER = {"items": [{"sku": "BOOK-1", "quantity": 2, "unit_price_cents": 1250}]}


def _signed_up(api: ApiClient) -> ApiClient:
    """A new user with a profile, signed in."""
    user_id = f"user-{uuid.uuid4().hex[:12]}"
    caller = api.as_user(user_id)
    response = caller.post("/me", {"email": f"{user_id}@example.com", "name": "Test User"})
    assert response.status == 201, response.body
    return caller


@pytest.fixture
def caller(api: ApiClient, table: str) -> ApiClient:
    """A signed-in user with a profile, new to each test."""
    return _signed_up(api)


@pytest.fixture
def other(api: ApiClient, table: str) -> ApiClient:
    """Another signed-in user with a profile."""
    return _signed_up(api)


def _order(caller: ApiClient, key: str, order: object = NEW_ORDER) -> dict[str, object]:
    response = caller.post("/me/orders", order, headers={"Idempotency-Key": key})
    assert response.status == 201, response.body
    return response.body  # type: ignore[no-any-return]


def test_a_created_profile_reads_back_with_the_tokens_subject(caller: ApiClient) -> None:
    body = caller.get("/me").body
    assert (body["user_id"], body["email"], body["order_count"]) == (
        caller.user_id,
        f"{caller.user_id}@example.com",
        0,
    )


def test_creating_a_profile_twice_is_409_and_keeps_the_first(caller: ApiClient) -> None:
    response = caller.post("/me", {"email": "someone.else@example.com", "name": "Else"})
    assert response.status == 409
    assert caller.get("/me").body["email"] == f"{caller.user_id}@example.com"


def test_a_caller_without_a_profile_is_404(api: ApiClient, table: str) -> None:
    response = api.as_user("nobody").get("/me")
    assert (response.status, response.body["message"]) == (404, "user nobody does not exist")


def test_a_placed_order_is_201_with_its_total_and_counted_on_the_profile(
    caller: ApiClient,
) -> None:
    order = _order(caller, "key-1")
    assert (order["user_id"], order["status"], order["total_cents"], order["item_count"]) == (
        caller.user_id,
        "placed",
        2500,
        1,
    )
    assert caller.get("/me").body["order_count"] == 1


def test_an_order_by_a_caller_without_profile_is_404(api: ApiClient, table: str) -> None:
    nobody = api.as_user("nobody")
    response = nobody.post("/me/orders", NEW_ORDER, headers={"Idempotency-Key": "key-1"})
    assert response.status == 404
    assert nobody.get("/me/orders").body["orders"] == []


def test_a_retried_order_returns_the_same_order_and_is_stored_once(caller: ApiClient) -> None:
    first = _order(caller, "retry-me")
    retried = _order(caller, "retry-me")
    assert retried == first
    assert caller.get("/me").body["order_count"] == 1


def test_the_same_key_for_a_different_order_is_422(caller: ApiClient) -> None:
    _order(caller, "used-once")
    other_order = {"items": [{"sku": "PEN-7", "quantity": 1, "unit_price_cents": 199}]}
    response = caller.post("/me/orders", other_order, headers={"Idempotency-Key": "used-once"})
    assert response.status == 422
    assert caller.get("/me").body["order_count"] == 1


def test_orders_are_listed_newest_first_a_page_at_a_time(caller: ApiClient) -> None:
    placed = [_order(caller, f"key-{n}")["order_id"] for n in range(3)]
    first = caller.get("/me/orders", query={"limit": "2"}).body
    second = caller.get("/me/orders", query={"limit": "2", "next_token": first["next_token"]}).body
    assert [o["order_id"] for o in first["orders"] + second["orders"]] == placed[::-1]


def test_an_order_and_its_items_are_read_by_order_id(caller: ApiClient) -> None:
    order = _order(caller, "key-1")
    assert caller.get(f"/me/orders/{order['order_id']}").body == order
    assert caller.get(f"/me/orders/{order['order_id']}/items").body == {
        "items": [{"line": 1, "sku": "BOOK-1", "quantity": 2, "unit_price_cents": 1250}]
    }


# Isolation: another user's order is answered exactly as one that does not exist.
def test_another_users_order_and_its_items_are_404_as_if_missing(
    caller: ApiClient, other: ApiClient
) -> None:
    order_id = _order(caller, "mine")["order_id"]
    for path in (f"/me/orders/{order_id}", f"/me/orders/{order_id}/items"):
        response = other.get(path)
        assert (response.status, response.body["message"]) == (
            404,
            f"order {order_id} does not exist",
        )
    assert caller.get(f"/me/orders/{order_id}").status == 200


def test_a_user_lists_only_their_own_orders(caller: ApiClient, other: ApiClient) -> None:
    _order(caller, "mine")
    assert other.get("/me/orders").body == {"orders": [], "next_token": None}


def test_the_same_idempotency_key_from_another_user_places_their_own_order(
    caller: ApiClient, other: ApiClient
) -> None:
    mine = _order(caller, "shared-key")
    theirs = _order(other, "shared-key")
    assert theirs["order_id"] != mine["order_id"]
    assert theirs["user_id"] == other.user_id


def test_idempotency_records_expire_through_the_table_ttl(caller: ApiClient, table: str) -> None:
    _order(caller, "expiring")
    records = boto3.client("dynamodb").query(
        TableName=table,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": "IDEMPOTENCY"}},
    )["Items"]
    assert records
    now = time.time()
    for record in records:
        assert now < int(record["ttl"]["N"]) <= now + 24 * 60 * 60 + 60
