"""Pre-SSOT WebSocket manager still serving ``/ws/v1`` for old mobile clients.

TODO(#186): move /ws/v1 onto websocket_core.websocket_manager and delete this class.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime, timedelta
from typing import Any

logger = logging.getLogger(__name__)


class WebSocketManager:  # expect: MIG006
    """Keeps raw sockets per user; no isolation guarantees beyond the user id key."""

    def __init__(self, idle_timeout: timedelta = timedelta(minutes=15)) -> None:
        self.active: dict[str, list[Any]] = {}
        self.last_activity: dict[str, datetime] = {}
        self.idle_timeout = idle_timeout
        self._lock = asyncio.Lock()

    async def connect(self, user_id: str, websocket: Any) -> None:
        await websocket.accept()
        async with self._lock:
            self.active.setdefault(user_id, []).append(websocket)
        self.last_activity[user_id] = datetime.utcnow()  # migration-lens: ignore

    async def disconnect(self, user_id: str, websocket: Any) -> None:
        async with self._lock:
            sockets = self.active.get(user_id, [])
            if websocket in sockets:
                sockets.remove(websocket)
            if not sockets:
                self.active.pop(user_id, None)
                self.last_activity.pop(user_id, None)

    async def broadcast(self, user_id: str, payload: dict[str, Any]) -> int:
        text = json.dumps(payload, default=str)
        sent = 0
        for websocket in list(self.active.get(user_id, [])):
            try:
                await websocket.send_text(text)
                sent += 1
            except Exception:  # noqa: BLE001
                logger.warning("v1 socket for %s is gone", user_id)
                await self.disconnect(user_id, websocket)
        return sent

    def idle_users(self, now: datetime) -> list[str]:
        return [user for user, seen in self.last_activity.items() if now - seen > self.idle_timeout]


legacy_manager = WebSocketManager()
