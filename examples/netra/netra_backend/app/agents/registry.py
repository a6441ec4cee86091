"""Agent registry: name -> async agent callable, plus engine creation for a request."""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, ClassVar, Optional

from netra_backend.app.agents.execution_engine_consolidated import ExecutionEngine  # expect: MIG002
from netra_backend.app.agents.supervisor.user_execution_context import UserExecutionContext

logger = logging.getLogger(__name__)


class AgentNotFoundError(LookupError):
    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(f"unknown agent {name!r}; registered: {', '.join(known) or 'none'}")
        self.name = name


class AgentRegistry:
    """Holds the sub-agents the supervisor can dispatch to."""

    _default: ClassVar[Optional[AgentRegistry]] = None

    def __init__(self) -> None:
        self._agents: dict[str, Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]] = {}

    @classmethod
    def default(cls) -> AgentRegistry:
        if cls._default is None:
            cls._default = cls()
        return cls._default

    def register(self, name: str, agent: Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]) -> None:
        if name in self._agents:
            logger.warning("agent %s re-registered; replacing the previous implementation", name)
        self._agents[name] = agent

    def unregister(self, name: str) -> bool:
        return self._agents.pop(name, None) is not None

    def get(self, name: str) -> Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]:
        try:
            return self._agents[name]
        except KeyError:
            raise AgentNotFoundError(name, self.names()) from None

    def names(self) -> list[str]:
        return sorted(self._agents)

    async def create_engine(self, context: UserExecutionContext, websocket_manager: Any = None) -> ExecutionEngine:
        return await ExecutionEngine.create_execution_engine(context, self, websocket_manager)
