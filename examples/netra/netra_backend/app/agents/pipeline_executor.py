"""Batch pipeline executor for scheduled (non-interactive) agent runs.

Still built on the legacy shared engine: nightly jobs have no user context yet.
Tracked as the last production caller in the #980 follow-up.
"""

from __future__ import annotations

import logging
from typing import Any, Iterable

from netra_backend.app.agents.base import executor as base_executor
from netra_backend.app.agents.base.executor import BaseExecutionEngine, ExecutionResult  # expect: MIG001
from netra_backend.app.agents.registry import AgentRegistry

logger = logging.getLogger(__name__)


class PipelineExecutor(BaseExecutionEngine):  # expect: MIG001
    """Runs a fixed sequence of agents, feeding each agent's output into the next one."""

    def __init__(self, registry: AgentRegistry, steps: Iterable[str], *, stop_on_failure: bool = True) -> None:
        super().__init__(registry=registry, max_concurrency=1)
        self.steps = list(steps)
        self.stop_on_failure = stop_on_failure

    async def run_pipeline(self, payload: dict[str, Any]) -> list[ExecutionResult]:
        results: list[ExecutionResult] = []
        current = dict(payload)
        for step in self.steps:
            result = await self.execute_agent(step, current, timeout_s=pipeline_timeout(len(self.steps)))
            results.append(result)
            if not result.succeeded:
                logger.error("pipeline step %s failed: %s", step, result.error)
                if self.stop_on_failure:
                    break
                continue
            current = {**current, **result.output}
        return results


def build_fallback_engine(registry: AgentRegistry) -> Any:
    """Engine the nightly jobs use when a pipeline has no steps configured."""
    engine = BaseExecutionEngine(registry=registry, max_concurrency=1)  # expect: MIG001
    return engine


def pipeline_timeout(step_count: int) -> float:
    return base_executor.BaseExecutionEngine.DEFAULT_TIMEOUT_S * max(step_count, 1)  # expect: MIG001
