"""Legacy shared agent execution engine.

``BaseExecutionEngine`` predates per-user isolation (Issue #565 / #980): one instance is
shared by every request, so run state and WebSocket events can leak between users. New
code must create a ``UserExecutionEngine`` per request. This class stays for backward
compatibility until the remaining callers (batch pipeline, a few tests) are migrated.

``ExecutionStatus`` and ``ExecutionResult`` are shared by both engines and are *not*
deprecated.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Optional

logger = logging.getLogger(__name__)


class ExecutionStatus(str, Enum):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    TIMED_OUT = "timed_out"


@dataclass
class ExecutionResult:
    agent_name: str
    status: ExecutionStatus
    output: dict[str, Any] = field(default_factory=dict)
    error: Optional[str] = None
    duration_ms: float = 0.0

    @property
    def succeeded(self) -> bool:
        return self.status is ExecutionStatus.COMPLETED

    def to_dict(self) -> dict[str, Any]:
        return {
            "agent_name": self.agent_name,
            "status": self.status.value,
            "output": self.output,
            "error": self.error,
            "duration_ms": round(self.duration_ms, 2),
        }


class BaseExecutionEngine:
    """Shared (NOT user-isolated) execution engine. Deprecated: use UserExecutionEngine."""

    DEFAULT_TIMEOUT_S: float = 30.0

    def __init__(self, registry: Any = None, websocket_bridge: Any = None, max_concurrency: int = 5) -> None:
        self.registry = registry
        self.websocket_bridge = websocket_bridge
        self._semaphore = asyncio.Semaphore(max_concurrency)
        self._active_runs: dict[str, float] = {}

    @property
    def active_run_count(self) -> int:
        return len(self._active_runs)

    async def execute_agent(
        self,
        agent_name: str,
        payload: dict[str, Any],
        timeout_s: Optional[float] = None,
    ) -> ExecutionResult:
        agent = self._resolve_agent(agent_name)
        started = time.monotonic()
        async with self._semaphore:
            self._active_runs[agent_name] = started
            await self._notify("agent_started", agent_name, {})
            try:
                output = await asyncio.wait_for(agent(payload), timeout=timeout_s or self.DEFAULT_TIMEOUT_S)
            except asyncio.TimeoutError:
                logger.warning("agent %s timed out after %.1fs", agent_name, timeout_s or self.DEFAULT_TIMEOUT_S)
                return ExecutionResult(agent_name, ExecutionStatus.TIMED_OUT, duration_ms=self._elapsed_ms(started))
            except Exception as exc:  # noqa: BLE001 - an agent failure must not kill the engine
                logger.exception("agent %s failed", agent_name)
                return ExecutionResult(
                    agent_name, ExecutionStatus.FAILED, error=str(exc), duration_ms=self._elapsed_ms(started)
                )
            finally:
                self._active_runs.pop(agent_name, None)
        await self._notify("agent_completed", agent_name, output)
        return ExecutionResult(agent_name, ExecutionStatus.COMPLETED, output=output, duration_ms=self._elapsed_ms(started))

    def _resolve_agent(self, agent_name: str) -> Any:
        if self.registry is None:
            raise LookupError(f"no registry configured; cannot resolve agent {agent_name!r}")
        return self.registry.get(agent_name)

    async def _notify(self, event_type: str, agent_name: str, data: dict[str, Any]) -> None:
        if self.websocket_bridge is None:
            return
        await self.websocket_bridge.emit(event_type, {"agent_name": agent_name, **data})

    @staticmethod
    def _elapsed_ms(started: float) -> float:
        return (time.monotonic() - started) * 1000.0
