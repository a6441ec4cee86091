"""WebSocket core package.

The names below are re-exported for backward compatibility (P0 fix #1021: old tests
import them from the package). New code imports the manager and its factory from
``websocket_core.websocket_manager``.
"""

from .types import (
    CRITICAL_EVENTS,
    ErrorMessage,
    ServerMessage,
    WebSocketConnection,
    WebSocketManagerMode,
    create_error_message,
    create_server_message,
)
from .unified_emitter import UnifiedWebSocketEmitter
from .websocket_manager import WebSocketManager, get_websocket_manager

__all__ = [
    "CRITICAL_EVENTS",
    "ErrorMessage",
    "ServerMessage",
    "UnifiedWebSocketEmitter",
    "WebSocketConnection",
    "WebSocketManager",
    "WebSocketManagerMode",
    "create_error_message",
    "create_server_message",
    "get_websocket_manager",
]
