"""REST endpoints to start an agent run and report when it started."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from netra_backend.app.agents.registry import AgentRegistry, get_agent_registry  # expect: MIG004
from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine  # migration-lens: ignore[MIG002]
from netra_backend.app.agents.supervisor.user_execution_context import UserExecutionContext
from netra_backend.app.services.time_utils import format_legacy_timestamp, utc_now  # expect: MIG001
from netra_backend.app.websocket_core.canonical_import_patterns import get_websocket_manager  # expect: MIG002

logger = logging.getLogger(__name__)


@dataclass
class AgentRunRequest:
    user_id: str
    thread_id: str
    agent_name: str
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass
class AgentRunResponse:
    run_id: str
    status: str
    started_at: str
    result: dict[str, Any] = field(default_factory=dict)


async def start_agent_run(request: AgentRunRequest) -> AgentRunResponse:
    registry: AgentRegistry = get_agent_registry()
    context = UserExecutionContext(user_id=request.user_id, thread_id=request.thread_id)
    # The mobile API still relies on the legacy constructor signature; migration is #1203.
    engine = await ExecutionEngine.create_from_legacy(registry, get_websocket_manager(context), context)
    result = await engine.execute_agent(request.agent_name, request.payload)
    started_at = format_legacy_timestamp(context.created_at)  # expect: MIG001
    logger.info("run %s finished with %s", context.run_id, result.status.value, extra=context.log_extra())
    return AgentRunResponse(run_id=context.run_id, status=result.status.value, started_at=started_at, result=result.output)


async def health() -> dict[str, Any]:
    return {"status": "healthy", "checked_at": utc_now().isoformat()}
