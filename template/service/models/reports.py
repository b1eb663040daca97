"""What EventBridge Scheduler passes to the daily report."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Self

from service.models.parsing import object_of, timestamp_of


@dataclass(frozen=True)
class DailyReportRun:
    # The time the run was scheduled for (not when it started): retries report on the same day.
    scheduled_time: datetime

    @classmethod
    def from_event(cls, event: Any) -> Self:
        return cls(scheduled_time=timestamp_of(object_of("event", event), "scheduled_time"))
