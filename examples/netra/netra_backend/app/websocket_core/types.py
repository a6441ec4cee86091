"""WebSocket message and connection types shared by the manager, emitters and routes."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from enum import Enum
from typing import Any

CRITICAL_EVENTS: tuple[str, ...] = (
    "agent_started",
    "agent_thinking",
    "tool_executing",
    "tool_completed",
    "agent_completed",
)


class WebSocketManagerMode(str, Enum):
    UNIFIED = "unified"
    ISOLATED = "isolated"
    EMERGENCY = "emergency"
    DEGRADED = "degraded"


@dataclass
class ServerMessage:
    type: str
    data: dict[str, Any]
    timestamp: float = field(default_factory=time.time)

    def to_json(self) -> str:
        return json.dumps(asdict(self), default=str)

    @property
    def is_critical(self) -> bool:
        return self.type in CRITICAL_EVENTS


@dataclass
class ErrorMessage:
    error_code: str
    error_message: str
    timestamp: float = field(default_factory=time.time)

    def to_json(self) -> str:
        return json.dumps({"type": "error", **asdict(self)})


@dataclass
class WebSocketConnection:
    connection_id: str
    user_id: str
    websocket: Any
    connected_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    last_seen: datetime = field(default_factory=lambda: datetime.now(UTC))

    def touch(self) -> None:
        self.last_seen = datetime.now(UTC)

    async def send(self, payload: str) -> None:
        await self.websocket.send_text(payload)


def create_server_message(msg_type: str, data: dict[str, Any]) -> ServerMessage:
    return ServerMessage(type=msg_type, data=dict(data))


def create_error_message(error_code: str, error_message: str) -> ErrorMessage:
    return ErrorMessage(error_code=error_code, error_message=error_message)
