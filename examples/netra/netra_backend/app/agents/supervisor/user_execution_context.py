"""Per-request user execution context (SSOT for user isolation, Issue #623)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Mapping


@dataclass(frozen=True)
class UserExecutionContext:
    """Identifies who a run belongs to. Every engine, manager and emitter is keyed on it."""

    user_id: str
    thread_id: str
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.user_id or not self.user_id.strip():
            raise ValueError("UserExecutionContext requires a non-empty user_id")
        if not self.thread_id:
            raise ValueError("UserExecutionContext requires a thread_id")

    def for_new_run(self, **metadata: Any) -> UserExecutionContext:
        """Same user and thread, fresh run id; used when the supervisor spawns sub-runs."""
        return replace(self, run_id=uuid.uuid4().hex, metadata={**self.metadata, **metadata})

    def log_extra(self) -> dict[str, str]:
        return {"user_id": self.user_id, "thread_id": self.thread_id, "run_id": self.run_id}
