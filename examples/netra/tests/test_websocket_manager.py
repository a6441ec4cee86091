"""WebSocket manager tests (imports predate the websocket_manager SSOT module)."""

from __future__ import annotations

import unittest

from netra_backend.app.agents.supervisor.user_execution_context import UserExecutionContext
from netra_backend.app.websocket_core import WebSocketManager, get_websocket_manager  # expect: MIG002, MIG002
from netra_backend.app.websocket_core.types import WebSocketConnection, create_server_message
from netra_backend.app.websocket_core.unified_manager import UnifiedWebSocketManager  # expect: MIG002
from netra_backend.app.websocket_core.websocket_manager import reset_websocket_managers


class FakeSocket:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send_text(self, text: str) -> None:
        self.sent.append(text)


class AliasTests(unittest.TestCase):
    def test_aliases_resolve_to_one_implementation(self) -> None:
        self.assertIs(WebSocketManager, UnifiedWebSocketManager)


class IsolationTests(unittest.IsolatedAsyncioTestCase):
    def setUp(self) -> None:
        reset_websocket_managers()

    async def test_factory_returns_one_manager_per_user(self) -> None:
        alice = UserExecutionContext(user_id="alice", thread_id="t-a")
        self.assertIs(get_websocket_manager(alice), get_websocket_manager(alice))
        self.assertIsNot(get_websocket_manager(alice), get_websocket_manager(UserExecutionContext("bob", "t-b")))

    async def test_messages_reach_only_their_user(self) -> None:
        manager = UnifiedWebSocketManager()
        alice_socket, bob_socket = FakeSocket(), FakeSocket()
        await manager.add_connection(WebSocketConnection("c1", "alice", alice_socket))
        await manager.add_connection(WebSocketConnection("c2", "bob", bob_socket))
        delivered = await manager.send_to_user("alice", create_server_message("agent_started", {"agent_name": "triage"}))
        self.assertEqual(delivered, 1)
        self.assertEqual(len(alice_socket.sent), 1)
        self.assertEqual(bob_socket.sent, [])


if __name__ == "__main__":
    unittest.main()
