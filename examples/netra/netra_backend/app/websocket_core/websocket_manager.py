"""Canonical WebSocket manager module (SSOT).

Import the manager and its factory from here and only from here::

    from netra_backend.app.websocket_core.websocket_manager import WebSocketManager, get_websocket_manager
"""

from __future__ import annotations

from typing import Any

from .types import WebSocketManagerMode
from .unified_manager import _UnifiedWebSocketManagerImplementation

WebSocketManager = _UnifiedWebSocketManagerImplementation

_SHARED_KEY = "__shared__"
_managers: dict[str, WebSocketManager] = {}


def get_websocket_manager(
    user_context: Any = None,
    mode: WebSocketManagerMode = WebSocketManagerMode.UNIFIED,
) -> WebSocketManager:
    """Return the manager for ``user_context``'s user, creating it on first use.

    One manager per user keeps events isolated; callers without a context (health
    checks, admin tools) share a single manager.
    """
    key = getattr(user_context, "user_id", None) or _SHARED_KEY
    manager = _managers.get(key)
    if manager is None:
        manager = WebSocketManager(mode=mode, user_context=user_context)
        _managers[key] = manager
    return manager


def reset_websocket_managers() -> int:
    """Forget every manager (tests and graceful shutdown). Returns how many were dropped."""
    count = len(_managers)
    _managers.clear()
    return count


__all__ = ["WebSocketManager", "get_websocket_manager", "reset_websocket_managers"]
