"""Supervisor agent: plans a user request and dispatches it to sub-agents.

Migrated to per-user engines in #980, but a few imports still go through the
backward-compatibility paths.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from netra_backend.app.agents.registry import AgentRegistry
from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine  # expect: MIG002
from netra_backend.app.agents.supervisor.user_execution_context import UserExecutionContext
from netra_backend.app.services.time_utils import legacy_utc_timestamp, utc_now  # expect: MIG001
from netra_backend.app.websocket_core import (
    WebSocketManager,  # re-exported by the package __init__  # expect: MIG002
    create_server_message,
)

logger = logging.getLogger(__name__)

TRIAGE_AGENT = "triage"
REPORTING_AGENT = "reporting"


@dataclass
class SupervisorPlan:
    request: str
    steps: list[str] = field(default_factory=list)
    created_ts: float = 0.0


class ModernSupervisorAgent:
    """Routes one user request through triage, the selected sub-agents and reporting."""

    def __init__(self, registry: AgentRegistry, websocket_manager: WebSocketManager) -> None:
        self.registry = registry
        self.websocket_manager = websocket_manager

    def plan(self, request: str) -> SupervisorPlan:
        created_ts = legacy_utc_timestamp()  # expect: MIG001
        optional = [name for name in self.registry.names() if name not in (TRIAGE_AGENT, REPORTING_AGENT)]
        wanted = [name for name in optional if name.replace("_", " ") in request.lower()]
        return SupervisorPlan(request=request, steps=[TRIAGE_AGENT, *wanted, REPORTING_AGENT], created_ts=created_ts)

    async def run(self, context: UserExecutionContext, request: str) -> dict[str, Any]:
        plan = self.plan(request)
        engine = await ExecutionEngine.create_execution_engine(context, self.registry, self.websocket_manager)
        outputs: dict[str, Any] = {}
        for step in plan.steps:
            result = await engine.execute_agent(step, {"request": request, **outputs})
            if not result.succeeded:
                logger.warning("supervisor step %s ended with %s", step, result.status.value, extra=context.log_extra())
                break
            outputs.update(result.output)
        summary = {"steps": plan.steps, "outputs": outputs, "finished_at": utc_now().isoformat()}
        await self.websocket_manager.send_to_user(context.user_id, create_server_message("supervisor_completed", summary))
        return summary


# Pre-#980 name, kept so that old plugin configs naming "SupervisorAgent" still load.
SupervisorAgent = ModernSupervisorAgent  # expect: MIG007
