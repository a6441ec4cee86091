"""DEPRECATED: second historical home of ExecutionEngine (Issue #623 redirect).

An earlier consolidation attempt put a merged engine here; it was replaced by
``UserExecutionEngine`` and this module now only forwards to it.
"""

import warnings

warnings.warn(
    "netra_backend.app.agents.execution_engine_consolidated is deprecated and will be removed; "
    "use netra_backend.app.agents.supervisor.user_execution_engine.UserExecutionEngine",
    DeprecationWarning,
    stacklevel=2,
)

from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine as ExecutionEngine  # noqa: E402

__all__ = ["ExecutionEngine"]
