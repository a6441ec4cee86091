"""Repositories over the database session.

In production the SQLAlchemy async session is injected; without one the repositories
keep rows in memory, which is what the unit tests use.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Optional

from netra_backend.app.db.models import AgentRun, Message, Thread

if TYPE_CHECKING:
    # state_persistence imports this module at runtime; this import is for type checkers only.
    from netra_backend.app.services.state_persistence import StatePersistenceService


class ThreadRepository:
    def __init__(self, session: Any = None) -> None:
        self.session = session
        self._threads: dict[str, Thread] = {}
        self._messages: dict[str, list[Message]] = {}
        self._runs: dict[str, AgentRun] = {}
        self._persistence: Optional[StatePersistenceService] = None

    def attach_persistence(self, persistence: StatePersistenceService) -> None:
        self._persistence = persistence

    async def add_thread(self, thread: Thread) -> Thread:
        if self.session is not None:
            self.session.add(thread)
            await self.session.flush()
        self._threads[thread.id] = thread
        return thread

    async def get_thread(self, thread_id: str) -> Optional[Thread]:
        if self.session is not None:
            return await self.session.get(Thread, thread_id)
        return self._threads.get(thread_id)

    async def list_threads(self, user_id: str) -> list[Thread]:
        return [thread for thread in self._threads.values() if thread.user_id == user_id]

    async def add_message(self, message: Message) -> Message:
        self._messages.setdefault(message.thread_id, []).append(message)
        if self.session is not None:
            self.session.add(message)
        return message

    async def save_run(self, run: AgentRun) -> AgentRun:
        self._runs[run.id] = run
        if self._persistence is not None:
            await self._persistence.snapshot_run(run)
        return run

    @staticmethod
    def run_from_cache(payload: dict[str, Any]) -> AgentRun:
        """Rebuild an AgentRun from the Redis cache entry written by the worker."""
        run = AgentRun()
        run.id = payload["id"]
        run.thread_id = payload["thread_id"]
        run.agent_name = payload["agent_name"]
        run.status = payload.get("status", "pending")
        run.started_at = dt.datetime.utcfromtimestamp(payload["started_ts"])  # expect: MIG001
        return run
