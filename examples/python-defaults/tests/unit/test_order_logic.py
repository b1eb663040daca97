"""Order and user rules, with an in-memory store: ids, totals, numbering, timestamps."""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from service.logic.ids import MonotonicUlids
from service.logic.orders import place_order
from service.logic.users import register_user
from service.models.orders import NewOrder, Order, OrderItem, OrderLine, OrderStatus
from service.models.users import NewUser, User

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
CROCKFORD = set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")


class MemoryStore:
    def __init__(self) -> None:
        self.users: list[User] = []
        self.orders: list[tuple[Order, list[OrderItem]]] = []
        self.origins: list[tuple[str, str | None]] = []

    def create_user(self, user: User) -> None:
        self.users.append(user)

    def create_order(
        self,
        order: Order,
        items: Sequence[OrderItem],
        *,
        correlation_id: str,
        trace_header: str | None = None,
    ) -> None:
        self.orders.append((order, list(items)))
        self.origins.append((correlation_id, trace_header))


def test_ids_are_26_crockford_characters() -> None:
    order_id = MonotonicUlids().new(NOW)
    assert len(order_id) == 26
    assert set(order_id) <= CROCKFORD


def test_ids_sort_by_creation_time() -> None:
    ulids = MonotonicUlids()
    earlier, later = ulids.new(NOW), ulids.new(NOW + timedelta(milliseconds=1))
    assert earlier < later
    assert earlier[:10] < later[:10], "the first 10 characters encode the time"


def test_ids_created_within_one_millisecond_still_increase() -> None:
    ulids = MonotonicUlids()
    ids = [ulids.new(NOW) for _ in range(100)]
    assert ids == sorted(set(ids))


def test_order_total_is_the_sum_of_its_lines() -> None:
    new_order = NewOrder(
        items=[
            OrderLine(sku="BOOK-1", quantity=2, unit_price_cents=1250),
            OrderLine(sku="PEN-7", quantity=3, unit_price_cents=199),
        ]
    )
    order = place_order(MemoryStore(), "alice", new_order, correlation_id="req-1", now=NOW)
    assert (order.total_cents, order.item_count, order.currency) == (3097, 2, "USD")


def test_order_items_are_numbered_in_the_order_sent_and_stored_with_the_order() -> None:
    store = MemoryStore()
    new_order = NewOrder(
        items=[
            OrderLine(sku="BOOK-1", quantity=1, unit_price_cents=1250),
            OrderLine(sku="PEN-7", quantity=1, unit_price_cents=199),
        ]
    )
    order = place_order(store, "alice", new_order, correlation_id="req-1", now=NOW)
    [(stored, items)] = store.orders
    assert stored == order
    assert [(item.line, item.sku) for item in items] == [(1, "BOOK-1"), (2, "PEN-7")]


def test_a_new_order_is_placed_and_stored_with_the_requests_correlation_id_and_trace() -> None:
    store = MemoryStore()
    new_order = NewOrder(items=[OrderLine(sku="BOOK-1", quantity=1, unit_price_cents=1250)])
    order = place_order(
        store, "alice", new_order, correlation_id="req-1", trace_header="Root=1-abc", now=NOW
    )
    assert order.status == OrderStatus.PLACED
    assert store.origins == [("req-1", "Root=1-abc")]


def test_new_user_starts_with_no_orders_and_its_creation_time() -> None:
    store = MemoryStore()
    user = register_user(store, "alice", NewUser(email="alice@example.com", name="Alice"), now=NOW)
    assert (user.order_count, user.created_at) == (0, NOW)
    assert store.users == [user]
