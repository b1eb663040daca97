"""The data-access layer on the emulator: conditional writes, the order transaction, queries."""

import uuid
from datetime import UTC, date, datetime, timedelta

import boto3
import pytest

from service.dal import Repository
from service.logic.errors import (
    OrderAlreadyExistsError,
    OrderNotFoundError,
    UserAlreadyExistsError,
    UserNotFoundError,
)
from service.logic.orders import place_order
from service.logic.users import register_user
from service.models.orders import NewOrder, OrderItem, OrderLine, OrderStatus
from service.models.users import NewUser

NEW_ORDER = NewOrder(items=[OrderLine(sku="BOOK-1", quantity=2, unit_price_cents=1250)])
REQUEST = "request-1"


@pytest.fixture
def repository(table: str) -> Repository:
    return Repository(boto3.client("dynamodb"), table)


@pytest.fixture
def user_id(repository: Repository) -> str:
    """A user with a profile, new to each test."""
    user_id = f"user-{uuid.uuid4().hex[:12]}"
    register_user(repository, user_id, NewUser(email=f"{user_id}@example.com", name="Test User"))
    return user_id


def test_a_profile_is_created_only_once(repository: Repository, user_id: str) -> None:
    again = NewUser(email="someone.else@example.com", name="Someone Else")
    with pytest.raises(UserAlreadyExistsError):
        register_user(repository, user_id, again)
    assert repository.get_user(user_id).email == f"{user_id}@example.com"


def test_reading_a_missing_profile_raises_user_not_found(repository: Repository) -> None:
    with pytest.raises(UserNotFoundError):
        repository.get_user("nobody")


def test_an_order_is_counted_on_the_profile(repository: Repository, user_id: str) -> None:
    place_order(repository, user_id, NEW_ORDER, correlation_id=REQUEST)
    place_order(repository, user_id, NEW_ORDER, correlation_id=REQUEST)
    assert repository.get_user(user_id).order_count == 2


def test_an_order_for_a_user_without_profile_writes_nothing(repository: Repository) -> None:
    with pytest.raises(UserNotFoundError):
        place_order(repository, "nobody", NEW_ORDER, correlation_id=REQUEST)
    assert repository.list_orders("nobody", limit=10).orders == []


def test_an_order_id_taken_cancels_the_whole_transaction(
    repository: Repository, user_id: str
) -> None:
    order = place_order(repository, user_id, NEW_ORDER, correlation_id=REQUEST)
    items = [OrderItem(line=1, sku="PEN-7", quantity=1, unit_price_cents=199)]
    with pytest.raises(OrderAlreadyExistsError):
        repository.create_order(order, items, correlation_id=REQUEST)
    assert repository.get_user(user_id).order_count == 1
    assert [item.sku for item in repository.list_order_items(order.order_id)] == ["BOOK-1"]


def test_orders_come_newest_first_a_page_at_a_time(repository: Repository, user_id: str) -> None:
    start = datetime.now(UTC)
    placed = [
        place_order(
            repository, user_id, NEW_ORDER, correlation_id=REQUEST, now=start + timedelta(seconds=n)
        )
        for n in range(3)
    ]
    first = repository.list_orders(user_id, limit=2)
    second = repository.list_orders(user_id, limit=2, after=first.next_token)
    assert [o.order_id for o in first.orders + second.orders] == [
        o.order_id for o in reversed(placed)
    ]


def test_an_order_and_its_items_are_found_by_order_id(repository: Repository, user_id: str) -> None:
    order = place_order(repository, user_id, NEW_ORDER, correlation_id=REQUEST)
    assert repository.get_order(order.order_id) == order
    assert repository.list_order_items(order.order_id) == [
        OrderItem(line=1, sku="BOOK-1", quantity=2, unit_price_cents=1250)
    ]


def test_an_unknown_order_is_not_found(repository: Repository) -> None:
    with pytest.raises(OrderNotFoundError):
        repository.get_order("01ARZ3NDEKTSV4RRFFQ69G5FAV")


def test_an_order_keeps_its_status_correlation_id_trace_header_and_day(
    repository: Repository, table: str, user_id: str
) -> None:
    created = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)
    order = place_order(
        repository,
        user_id,
        NEW_ORDER,
        correlation_id="request-42",
        trace_header="Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1",
        now=created,
    )
    item = boto3.client("dynamodb").get_item(
        TableName=table,
        Key={"PK": {"S": f"USER#{user_id}"}, "SK": {"S": f"ORDER#{order.order_id}"}},
    )["Item"]
    assert (item["status"]["S"], item["correlationId"]["S"]) == ("placed", "request-42")
    assert item["traceHeader"]["S"].startswith("Root=1-5759e988")
    assert (item["GSI2PK"]["S"], item["GSI2SK"]["S"]) == (
        "DAY#2026-11-27",
        f"ORDER#{order.order_id}",
    )


def test_an_untraced_order_has_no_trace_header(
    repository: Repository, table: str, user_id: str
) -> None:
    order = place_order(repository, user_id, NEW_ORDER, correlation_id=REQUEST)
    item = boto3.client("dynamodb").get_item(
        TableName=table,
        Key={"PK": {"S": f"USER#{user_id}"}, "SK": {"S": f"ORDER#{order.order_id}"}},
    )["Item"]
    assert "traceHeader" not in item


def test_an_order_is_confirmed_once(repository: Repository, user_id: str) -> None:
    order = place_order(repository, user_id, NEW_ORDER, correlation_id=REQUEST)
    assert repository.confirm_order(user_id, order.order_id) is True
    assert repository.confirm_order(user_id, order.order_id) is False
    assert repository.get_order(order.order_id).status == OrderStatus.CONFIRMED


def test_confirming_an_unknown_order_raises_order_not_found(
    repository: Repository, user_id: str
) -> None:
    with pytest.raises(OrderNotFoundError):
        repository.confirm_order(user_id, "01ARZ3NDEKTSV4RRFFQ69G5FAV")


def test_the_orders_of_a_day_come_oldest_first_a_page_at_a_time(
    repository: Repository, user_id: str
) -> None:
    # A day of its own (far in the past), so that no other test's orders count.
    day = date(2001, 2, 3)
    start = datetime(2001, 2, 3, 23, 59, 57, tzinfo=UTC)
    placed = [
        place_order(
            repository, user_id, NEW_ORDER, correlation_id=REQUEST, now=start + timedelta(seconds=n)
        )
        for n in range(4)  # the last one on the next day
    ]
    pages = list(repository.orders_created_on(day, page_size=2))
    assert [len(page) for page in pages] == [2, 1]
    assert [o.order_id for page in pages for o in page] == [o.order_id for o in placed[:3]]


def test_a_day_without_orders_has_no_pages(repository: Repository) -> None:
    assert list(repository.orders_created_on(date(2000, 1, 1))) == []
