"""Emits the five business-critical agent events to one user's sockets."""

from __future__ import annotations

import logging
from typing import Any

from netra_backend.app.websocket_core.types import CRITICAL_EVENTS, create_server_message
from netra_backend.app.websocket_core.unified_manager import UnifiedWebSocketManager  # expect: MIG002

logger = logging.getLogger(__name__)


class UnifiedWebSocketEmitter:
    """Per-user emitter; agents call the ``notify_*`` helpers instead of building messages."""

    def __init__(self, manager: UnifiedWebSocketManager, user_id: str) -> None:
        self.manager = manager
        self.user_id = user_id
        self.sent_counts: dict[str, int] = {event: 0 for event in CRITICAL_EVENTS}

    async def emit(self, event_type: str, data: dict[str, Any]) -> bool:
        delivered = await self.manager.send_to_user(self.user_id, create_server_message(event_type, data))
        if event_type in self.sent_counts:
            self.sent_counts[event_type] += 1
        if delivered == 0 and event_type in CRITICAL_EVENTS:
            logger.warning("critical event %s not delivered: user %s has no open socket", event_type, self.user_id)
        return delivered > 0

    async def notify_agent_started(self, agent_name: str) -> bool:
        return await self.emit("agent_started", {"agent_name": agent_name})

    async def notify_agent_thinking(self, agent_name: str, thought: str) -> bool:
        return await self.emit("agent_thinking", {"agent_name": agent_name, "thought": thought})

    async def notify_tool_executing(self, agent_name: str, tool: str, arguments: dict[str, Any]) -> bool:
        return await self.emit("tool_executing", {"agent_name": agent_name, "tool": tool, "arguments": arguments})

    async def notify_tool_completed(self, agent_name: str, tool: str, result: Any) -> bool:
        return await self.emit("tool_completed", {"agent_name": agent_name, "tool": tool, "result": result})

    async def notify_agent_completed(self, agent_name: str, output: dict[str, Any]) -> bool:
        return await self.emit("agent_completed", {"agent_name": agent_name, "output": output})
