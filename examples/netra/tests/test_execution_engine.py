"""Execution engine tests. Still written against the legacy import paths (#980 cleanup)."""

from __future__ import annotations

import unittest
from datetime import datetime
from typing import Any

from netra_backend.app.agents.base.executor import BaseExecutionEngine, ExecutionStatus  # expect: MIG001
from netra_backend.app.agents.execution_engine_consolidated import ExecutionEngine as ConsolidatedEngine  # expect: MIG002
from netra_backend.app.agents.registry import AgentRegistry
from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine  # expect: MIG002
from netra_backend.app.agents.supervisor.user_execution_context import UserExecutionContext
from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine


async def echo_agent(payload: dict[str, Any]) -> dict[str, Any]:
    return {"echo": payload}


async def failing_agent(payload: dict[str, Any]) -> dict[str, Any]:
    raise RuntimeError("tool backend unavailable")


class _RecordingManager:
    def __init__(self) -> None:
        self.sent: list[tuple[str, Any]] = []

    async def send_to_user(self, user_id: str, message: Any) -> int:
        self.sent.append((user_id, message))
        return 1


class LegacyImportPathTests(unittest.TestCase):
    def test_legacy_paths_resolve_to_user_execution_engine(self) -> None:
        self.assertIs(ExecutionEngine, UserExecutionEngine)
        self.assertIs(ConsolidatedEngine, UserExecutionEngine)

    def test_user_engine_does_not_extend_base_engine(self) -> None:
        self.assertFalse(issubclass(UserExecutionEngine, BaseExecutionEngine))  # expect: MIG001


class ExecutionEngineTests(unittest.IsolatedAsyncioTestCase):
    def setUp(self) -> None:
        self.registry = AgentRegistry()
        self.registry.register("echo", echo_agent)
        self.registry.register("broken", failing_agent)
        self.manager = _RecordingManager()

    async def test_base_engine_completes(self) -> None:
        engine = BaseExecutionEngine(registry=self.registry)  # expect: MIG001
        result = await engine.execute_agent("echo", {"q": 1})
        self.assertEqual(result.status, ExecutionStatus.COMPLETED)
        self.assertEqual(result.output, {"echo": {"q": 1}})

    async def test_engine_from_legacy_signature(self) -> None:
        context = UserExecutionContext(user_id="u-1", thread_id="t-1")
        started = datetime.utcnow()  # expect: MIG001
        engine = await ExecutionEngine.create_from_legacy(self.registry, self.manager, context)
        result = await engine.execute_agent("echo", {})
        self.assertTrue(result.succeeded)
        self.assertLess((datetime.utcnow() - started).total_seconds(), 5)  # expect: MIG001

    async def test_failure_is_reported_not_raised(self) -> None:
        context = UserExecutionContext(user_id="u-2", thread_id="t-2")
        engine = await ExecutionEngine.create_execution_engine(context, self.registry, self.manager)
        result = await engine.execute_agent("broken", {})
        self.assertEqual(result.status, ExecutionStatus.FAILED)
        self.assertEqual([event.type for _, event in self.manager.sent], ["agent_started", "agent_completed"])


if __name__ == "__main__":
    unittest.main()
