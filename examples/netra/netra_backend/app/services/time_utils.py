"""Time helpers. Every timestamp we produce is timezone-aware UTC (Issue #980)."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime, timedelta
from typing import Any, Iterable, Optional, Protocol

try:
    from typing_extensions import deprecated
except ImportError:  # pragma: no cover - Python 3.13+ ships the decorator in the stdlib
    from warnings import deprecated


class SupportsUtcNow(Protocol):
    def utcnow(self) -> datetime: ...


class FrozenClock:
    """Deterministic clock for tests and run replays. Its ``utcnow`` is aware UTC."""

    def __init__(self, start: Optional[datetime] = None) -> None:
        self._now = start or datetime.now(UTC)

    def utcnow(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> datetime:
        self._now += timedelta(seconds=seconds)
        return self._now


def utc_now() -> datetime:
    return datetime.now(UTC)


def format_iso(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat(timespec="milliseconds")


@deprecated("use utc_now().timestamp() instead")
def legacy_utc_timestamp() -> float:
    return utc_now().timestamp()


def format_legacy_timestamp(value: datetime) -> str:
    warnings.warn("format_legacy_timestamp() is deprecated; use format_iso()", DeprecationWarning, stacklevel=2)
    return value.strftime("%Y-%m-%d %H:%M:%S")


def stamp_from(clock: SupportsUtcNow) -> str:
    # clock.utcnow() is the clock's own method, not datetime.utcnow().
    return format_iso(clock.utcnow())


def stamp_with_injected(datetime: SupportsUtcNow) -> str:
    # The parameter is named like the stdlib class (old callers pass datetime=...); it
    # shadows the import inside this function.
    return format_iso(datetime.utcnow())


def stamp_replay(replay: Any) -> str:
    datetime = replay.clock  # local name shadows the module-level import
    return format_iso(datetime.utcnow())


def snapshot_clocks(clocks: Iterable[SupportsUtcNow]) -> list[str]:
    return [format_iso(datetime.utcnow()) for datetime in clocks]
