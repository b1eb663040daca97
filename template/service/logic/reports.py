"""What the daily report computes: the UTC day it covers, and the figures and rows of its orders.

Each daily run reports on the UTC day before the one it was scheduled in. The orders are anything
with the attributes of ReportedOrder: the rules here need no storage.
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol


@dataclass(frozen=True)
class ReportPeriod:
    start: datetime
    end: datetime  # exclusive


def previous_utc_day(scheduled_time: datetime) -> ReportPeriod:
    end = scheduled_time.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return ReportPeriod(start=end - timedelta(days=1), end=end)


class ReportedOrder(Protocol):
    @property
    def order_id(self) -> str: ...
    @property
    def user_id(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def currency(self) -> str: ...
    @property
    def total_cents(self) -> int: ...
    @property
    def status(self) -> str: ...


@dataclass
class DailySummary:
    order_count: int = 0
    # Amounts in different currencies do not add up: one total per currency.
    total_cents_by_currency: dict[str, int] = field(default_factory=dict)


def summarize(orders: Iterable[ReportedOrder]) -> DailySummary:
    summary = DailySummary()
    for order in orders:
        summary.order_count += 1
        totals = summary.total_cents_by_currency
        totals[order.currency] = totals.get(order.currency, 0) + order.total_cents
    return summary


CSV_COLUMNS = ("order_id", "user_id", "created_at", "currency", "total_cents", "status")


def csv_report(orders: Iterable[ReportedOrder]) -> str:
    """One row per order under a header row, in the order given; times in ISO 8601."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(
        (o.order_id, o.user_id, o.created_at.isoformat(), o.currency, o.total_cents, o.status)
        for o in orders
    )
    return text.getvalue()
