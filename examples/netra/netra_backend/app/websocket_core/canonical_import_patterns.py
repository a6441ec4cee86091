"""Canonical import patterns (Issue #1176 Phase 1).

Use these imports in new code::

    from netra_backend.app.websocket_core.websocket_manager import WebSocketManager, get_websocket_manager
    from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine

Legacy forms that still work but are being migrated away::

    from netra_backend.app.websocket_core import WebSocketManager
    from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine
    created = datetime.utcnow()          # -> datetime.now(UTC)

This module also re-exports the manager and factory for callers that adopted it as an
import path during Phase 1; those callers should move to websocket_manager.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .websocket_manager import WebSocketManager, get_websocket_manager

# The patterns below are data, not imports: the text
#   from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine
# and datetime.utcnow() in this comment are only examples for the compliance report.


@dataclass(frozen=True)
class ImportPattern:
    legacy: str
    canonical: str
    issue: str

    def matches(self, line: str) -> bool:
        return re.sub(r"\s+", " ", line.strip()) == self.legacy


LEGACY_PATTERNS: tuple[ImportPattern, ...] = (
    ImportPattern(
        legacy="from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine",
        canonical="from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine",
        issue="#565",
    ),
    ImportPattern(
        legacy="from netra_backend.app.agents.execution_engine_consolidated import ExecutionEngine",
        canonical="from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine",
        issue="#623",
    ),
    ImportPattern(
        legacy="from netra_backend.app.websocket_core import WebSocketManager",
        canonical="from netra_backend.app.websocket_core.websocket_manager import WebSocketManager",
        issue="#1176",
    ),
    ImportPattern(legacy="datetime.utcnow()", canonical="datetime.now(UTC)", issue="#980"),
)


def find_legacy_patterns(source: str) -> list[tuple[int, ImportPattern]]:
    """Line-based scan used by the pre-commit hook (1-based line numbers)."""
    hits: list[tuple[int, ImportPattern]] = []
    for number, line in enumerate(source.splitlines(), start=1):
        for pattern in LEGACY_PATTERNS:
            if pattern.matches(line):
                hits.append((number, pattern))
    return hits


def validate_import_patterns() -> dict[str, Any]:
    return {
        "canonical_patterns_defined": len({p.canonical for p in LEGACY_PATTERNS}),
        "legacy_patterns_supported": len(LEGACY_PATTERNS),
        "manager_is_ssot": WebSocketManager is get_websocket_manager().__class__,
    }


__all__ = [
    "LEGACY_PATTERNS",
    "ImportPattern",
    "WebSocketManager",
    "find_legacy_patterns",
    "get_websocket_manager",
    "validate_import_patterns",
]
