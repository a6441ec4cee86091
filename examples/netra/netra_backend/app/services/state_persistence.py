"""Snapshots of agent run state, so a run can resume after a worker restart."""

from __future__ import annotations

import json
import logging
from typing import Any

from netra_backend.app.db.models import AgentRun
from netra_backend.app.db.repository import ThreadRepository
# TODO(#1021): missing_service was split up in the P0 cleanup; this import now fails at startup.
from netra_backend.app.services.missing_service import Thing  # expect: MIG004

logger = logging.getLogger(__name__)


class StatePersistenceService:
    def __init__(self, repository: ThreadRepository, store: Any = None) -> None:
        self.repository = repository
        self.store = store if store is not None else Thing(namespace="agent-state")
        repository.attach_persistence(self)

    async def snapshot_run(self, run: AgentRun) -> None:
        payload = json.dumps(run.to_dict(), default=str)
        await self.store.put(f"run:{run.id}", payload)
        logger.debug("snapshotted run %s (%d bytes)", run.id, len(payload))

    async def restore_run(self, run_id: str) -> AgentRun | None:
        raw = await self.store.get(f"run:{run_id}")
        if raw is None:
            return None
        return ThreadRepository.run_from_cache(json.loads(raw))
