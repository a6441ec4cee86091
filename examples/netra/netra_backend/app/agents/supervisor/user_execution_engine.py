"""UserExecutionEngine: the single execution engine (SSOT, Issues #565 / #623 / #980).

One engine per request. It owns no global state: the user context, the agent registry
and the WebSocket manager are injected, so concurrent users can never see each other's
events.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any, Optional

from netra_backend.app.agents.base.executor import ExecutionResult, ExecutionStatus
from netra_backend.app.agents.supervisor.user_execution_context import UserExecutionContext
from netra_backend.app.websocket_core.types import create_server_message
from netra_backend.app.websocket_core.websocket_manager import WebSocketManager, get_websocket_manager

if TYPE_CHECKING:
    # registry.py imports this module (through the consolidated shim); importing it back
    # at runtime would create a cycle, so only type checkers see this import.
    from netra_backend.app.agents.registry import AgentRegistry

logger = logging.getLogger(__name__)


class UserExecutionEngine:
    """Executes agents for exactly one user context."""

    def __init__(
        self,
        context: UserExecutionContext,
        agent_factory: AgentRegistry,
        websocket_emitter: Optional[WebSocketManager] = None,
        *,
        max_concurrency: int = 3,
    ) -> None:
        if not isinstance(context, UserExecutionContext):
            raise TypeError(
                "Invalid arguments. Use UserExecutionEngine(context, agent_factory, websocket_emitter) "
                "or keyword form."
            )
        self.context = context
        self.agent_factory = agent_factory
        self.websocket_manager = websocket_emitter or get_websocket_manager(context)
        self._semaphore = asyncio.Semaphore(max_concurrency)
        self._history: list[ExecutionResult] = []

    @classmethod
    async def create_execution_engine(
        cls,
        user_context: UserExecutionContext,
        registry: Optional[AgentRegistry] = None,
        websocket_bridge: Optional[WebSocketManager] = None,
    ) -> UserExecutionEngine:
        """Primary factory (Issue #623)."""
        if registry is None:
            # Imported here, not at module level: registry.py imports this module.
            from netra_backend.app.agents.registry import AgentRegistry

            registry = AgentRegistry.default()
        return cls(user_context, registry, websocket_bridge)

    @classmethod
    async def create_from_legacy(
        cls,
        registry: AgentRegistry,
        websocket_bridge: Optional[WebSocketManager],
        user_context: Optional[UserExecutionContext] = None,
    ) -> UserExecutionEngine:
        """Compatibility bridge for callers written against the old ExecutionEngine signature."""
        context = user_context or UserExecutionContext(user_id="legacy-system", thread_id="legacy")
        return cls(context, registry, websocket_bridge)

    @property
    def history(self) -> tuple[ExecutionResult, ...]:
        return tuple(self._history)

    async def execute_agent(
        self,
        agent_name: str,
        payload: dict[str, Any],
        timeout_s: float = 30.0,
    ) -> ExecutionResult:
        agent = self.agent_factory.get(agent_name)
        started = time.monotonic()
        await self._emit("agent_started", {"agent_name": agent_name})
        async with self._semaphore:
            try:
                output = await asyncio.wait_for(agent(payload), timeout=timeout_s)
            except asyncio.TimeoutError:
                result = ExecutionResult(agent_name, ExecutionStatus.TIMED_OUT, duration_ms=_ms_since(started))
            except Exception as exc:  # noqa: BLE001 - reported to the user, never re-raised
                logger.exception("agent %s failed", agent_name, extra=self.context.log_extra())
                result = ExecutionResult(agent_name, ExecutionStatus.FAILED, error=str(exc), duration_ms=_ms_since(started))
            else:
                result = ExecutionResult(agent_name, ExecutionStatus.COMPLETED, output=output, duration_ms=_ms_since(started))
        self._history.append(result)
        await self._emit("agent_completed", result.to_dict())
        return result

    async def _emit(self, event_type: str, data: dict[str, Any]) -> None:
        message = create_server_message(event_type, {**data, "run_id": self.context.run_id})
        await self.websocket_manager.send_to_user(self.context.user_id, message)


def _ms_since(started: float) -> float:
    return (time.monotonic() - started) * 1000.0
