"""BACKUP of netra_backend/app/agents/supervisor/execution_engine.py, taken 2025-09-10
before the Issue #565 consolidation turned it into a redirect. Reference only.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Optional

from netra_backend.app.agents.base.executor import BaseExecutionEngine, ExecutionResult  # expect: MIG001
from netra_backend.app.websocket_core import create_server_message, get_websocket_manager  # expect: MIG002
from netra_backend.app.websocket_core.unified_manager import UnifiedWebSocketManager  # expect: MIG002

logger = logging.getLogger(__name__)


class ExecutionEngine(BaseExecutionEngine):  # expect: MIG001
    """Singleton engine shared by all users (the reason for Issue #565)."""

    def __init__(self, registry: Any, websocket_manager: Optional[UnifiedWebSocketManager] = None) -> None:
        super().__init__(registry=registry)
        self.websocket_manager = websocket_manager or get_websocket_manager()
        self.created_at = datetime.utcnow()  # expect: MIG001
        self.run_history: list[dict[str, Any]] = []

    async def execute_agent(self, agent_name: str, payload: dict[str, Any],
                            timeout_s: Optional[float] = None) -> ExecutionResult:
        started = datetime.utcnow()  # expect: MIG001
        result = await super().execute_agent(agent_name, payload, timeout_s)
        self.run_history.append({"agent": agent_name, "started": started.isoformat(), "status": result.status.value})
        user_id = payload.get("user_id", "broadcast")
        await self.websocket_manager.send_to_user(user_id, create_server_message("agent_completed", result.to_dict()))
        return result

    def uptime_seconds(self) -> float:
        return (datetime.utcnow() - self.created_at).total_seconds()  # expect: MIG001
