"""Unified WebSocket manager implementation (Issue #186 Phase 5).

The implementation class is private; import the public name from the canonical module::

    from netra_backend.app.websocket_core.websocket_manager import WebSocketManager, get_websocket_manager
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from typing import Any, Optional, Union

from netra_backend.app.websocket_core.types import (
    ErrorMessage,
    ServerMessage,
    WebSocketConnection,
    WebSocketManagerMode,
)

logger = logging.getLogger(__name__)


class _UnifiedWebSocketManagerImplementation:
    """Tracks connections per user and delivers messages only to that user's sockets."""

    def __init__(self, mode: WebSocketManagerMode = WebSocketManagerMode.UNIFIED, user_context: Any = None) -> None:
        self.mode = mode
        self.user_context = user_context
        self._connections: dict[str, WebSocketConnection] = {}
        self._by_user: defaultdict[str, set[str]] = defaultdict(set)
        self._lock = asyncio.Lock()

    async def add_connection(self, connection: WebSocketConnection) -> None:
        async with self._lock:
            self._connections[connection.connection_id] = connection
            self._by_user[connection.user_id].add(connection.connection_id)
        logger.debug("connection %s added for user %s", connection.connection_id, connection.user_id)

    async def remove_connection(self, connection_id: str) -> Optional[WebSocketConnection]:
        async with self._lock:
            connection = self._connections.pop(connection_id, None)
            if connection is not None:
                self._by_user[connection.user_id].discard(connection_id)
        return connection

    async def send_to_user(self, user_id: str, message: Union[ServerMessage, ErrorMessage]) -> int:
        """Send to every socket of ``user_id``; returns how many sockets received it."""
        payload = message.to_json()
        delivered = 0
        for connection_id in list(self._by_user.get(user_id, ())):
            connection = self._connections.get(connection_id)
            if connection is None:
                continue
            try:
                await connection.send(payload)
            except Exception:  # noqa: BLE001 - a dead socket must not stop delivery to the others
                logger.warning("dropping dead connection %s", connection_id)
                await self.remove_connection(connection_id)
                continue
            connection.touch()
            delivered += 1
        return delivered

    def connection_count(self, user_id: Optional[str] = None) -> int:
        if user_id is None:
            return len(self._connections)
        return len(self._by_user.get(user_id, ()))

    def is_connection_active(self, user_id: str) -> bool:
        return self.connection_count(user_id) > 0


# Backward-compatibility alias (Issue #186 Phase 5): code written before the rename
# imported the class under this name. New code uses websocket_manager.WebSocketManager.
UnifiedWebSocketManager = _UnifiedWebSocketManagerImplementation
