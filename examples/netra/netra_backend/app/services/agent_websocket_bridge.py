"""Bridge between agent execution and the user's WebSocket manager."""

from __future__ import annotations

import logging
from typing import Any, Optional

from netra_backend.app.agents.supervisor.user_execution_context import UserExecutionContext
from netra_backend.app.websocket_core import unified_manager
from netra_backend.app.websocket_core.types import CRITICAL_EVENTS, WebSocketManagerMode, create_server_message
from netra_backend.app.websocket_core.websocket_manager import WebSocketManager, get_websocket_manager

logger = logging.getLogger(__name__)


class AgentWebSocketBridge:
    """Gives engines an ``emit(event, data)`` callable bound to one user."""

    def __init__(self, context: UserExecutionContext, manager: Optional[WebSocketManager] = None) -> None:
        self.context = context
        self.manager = manager or get_websocket_manager(context)
        self.undelivered: list[str] = []

    @classmethod
    def emergency(cls, context: UserExecutionContext) -> AgentWebSocketBridge:
        """Used when the per-user manager could not be created (degraded startup)."""
        manager = unified_manager.UnifiedWebSocketManager(mode=WebSocketManagerMode.EMERGENCY, user_context=context)  # expect: MIG003
        return cls(context, manager)

    @property
    def is_emergency(self) -> bool:
        return isinstance(self.manager, unified_manager.UnifiedWebSocketManager) and (  # expect: MIG003
            self.manager.mode is WebSocketManagerMode.EMERGENCY
        )

    async def emit(self, event_type: str, data: dict[str, Any]) -> bool:
        payload = {**data, "run_id": self.context.run_id}
        delivered = await self.manager.send_to_user(self.context.user_id, create_server_message(event_type, payload))
        if delivered == 0 and event_type in CRITICAL_EVENTS:
            self.undelivered.append(event_type)
        return delivered > 0
