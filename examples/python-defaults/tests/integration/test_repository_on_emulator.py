"""The data-access layer on the emulator: conditional writes, the order transaction, queries."""

import uuid
from datetime import UTC, datetime, timedelta

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
from service.models.orders import NewOrder, OrderItem, OrderLine
from service.models.users import NewUser

NEW_ORDER = NewOrder(items=[OrderLine(sku="BOOK-1", quantity=2, unit_price_cents=1250)])


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
    place_order(repository, user_id, NEW_ORDER)
    place_order(repository, user_id, NEW_ORDER)
    assert repository.get_user(user_id).order_count == 2


def test_an_order_for_a_user_without_profile_writes_nothing(repository: Repository) -> None:
    with pytest.raises(UserNotFoundError):
        place_order(repository, "nobody", NEW_ORDER)
    assert repository.list_orders("nobody", limit=10).orders == []


def test_an_order_id_taken_cancels_the_whole_transaction(
    repository: Repository, user_id: str
) -> None:
    order = place_order(repository, user_id, NEW_ORDER)
    items = [OrderItem(line=1, sku="PEN-7", quantity=1, unit_price_cents=199)]
    with pytest.raises(OrderAlreadyExistsError):
        repository.create_order(order, items)
    assert repository.get_user(user_id).order_count == 1
    assert [item.sku for item in repository.list_order_items(order.order_id)] == ["BOOK-1"]


def test_orders_come_newest_first_a_page_at_a_time(repository: Repository, user_id: str) -> None:
    start = datetime.now(UTC)
    placed = [
        place_order(repository, user_id, NEW_ORDER, now=start + timedelta(seconds=n))
        for n in range(3)
    ]
    first = repository.list_orders(user_id, limit=2)
    second = repository.list_orders(user_id, limit=2, after=first.next_token)
    assert [o.order_id for o in first.orders + second.orders] == [
        o.order_id for o in reversed(placed)
    ]


def test_an_order_and_its_items_are_found_by_order_id(repository: Repository, user_id: str) -> None:
    order = place_order(repository, user_id, NEW_ORDER)
    assert repository.get_order(order.order_id) == order
    assert repository.list_order_items(order.order_id) == [
        OrderItem(line=1, sku="BOOK-1", quantity=2, unit_price_cents=1250)
    ]


def test_an_unknown_order_is_not_found(repository: Repository) -> None:
    with pytest.raises(OrderNotFoundError):
        repository.get_order("01ARZ3NDEKTSV4RRFFQ69G5FAV")
