"""Main WebSocket endpoint: ``/ws/{user_id}/{thread_id}``.

Accepts the socket, registers it with the user's manager and runs each incoming
``agent_request`` through a fresh UserExecutionEngine.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

try:
    from fastapi import WebSocket, WebSocketDisconnect
except ImportError:  # pragma: no cover - FastAPI is not installed in the tooling image
    WebSocket = None

    class WebSocketDisconnect(Exception):  # type: ignore[no-redef]
        """Stand-in so the handler below still imports without FastAPI."""

from netra_backend.app.agents.supervisor.user_execution_context import UserExecutionContext
from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine
from netra_backend.app.websocket_core.types import WebSocketConnection, create_error_message, create_server_message
from netra_backend.app.websocket_core.websocket_manager import get_websocket_manager

from ..websocket_core import WebSocketManager  # expect: MIG002

logger = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 64 * 1024


async def websocket_endpoint(websocket: WebSocket, user_id: str, thread_id: str) -> None:
    await websocket.accept()
    context = UserExecutionContext(user_id=user_id, thread_id=thread_id)
    manager: WebSocketManager = get_websocket_manager(context)
    connection = WebSocketConnection(connection_id=uuid.uuid4().hex, user_id=user_id, websocket=websocket)
    await manager.add_connection(connection)
    try:
        while True:
            raw = await websocket.receive_text()
            await handle_client_message(manager, context, raw)
    except WebSocketDisconnect:
        logger.info("user %s disconnected", user_id, extra=context.log_extra())
    finally:
        await manager.remove_connection(connection.connection_id)


async def handle_client_message(manager: WebSocketManager, context: UserExecutionContext, raw: str) -> None:
    if len(raw.encode()) > MAX_MESSAGE_BYTES:
        await manager.send_to_user(context.user_id, create_error_message("message_too_large", "message exceeds 64 KiB"))
        return
    try:
        message: dict[str, Any] = json.loads(raw)
    except json.JSONDecodeError:
        await manager.send_to_user(context.user_id, create_error_message("invalid_json", "message is not valid JSON"))
        return
    if message.get("type") == "ping":
        await manager.send_to_user(context.user_id, create_server_message("pong", {}))
        return
    if message.get("type") != "agent_request":
        await manager.send_to_user(context.user_id, create_error_message("unknown_type", str(message.get("type"))))
        return
    run_context = context.for_new_run(source="websocket")
    engine = await UserExecutionEngine.create_execution_engine(run_context, websocket_bridge=manager)
    result = await engine.execute_agent(message.get("agent", "supervisor"), message.get("payload", {}))
    await manager.send_to_user(context.user_id, create_server_message("agent_result", result.to_dict()))


def register_routes(router: Any) -> None:
    """Called by the app factory with the FastAPI router."""
    router.add_api_websocket_route("/ws/{user_id}/{thread_id}", websocket_endpoint)
