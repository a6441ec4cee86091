"""DEPRECATED import path for the execution engine (Issue #565).

``ExecutionEngine`` was consolidated into ``UserExecutionEngine``. This module only
redirects old imports so that nothing breaks during the migration; it is deleted once
nothing imports it any more. Migrate::

    # before
    from netra_backend.app.agents.supervisor.execution_engine import ExecutionEngine
    # after
    from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine
"""

import warnings

warnings.warn(
    "netra_backend.app.agents.supervisor.execution_engine is deprecated; import UserExecutionEngine "
    "from netra_backend.app.agents.supervisor.user_execution_engine instead",
    DeprecationWarning,
    stacklevel=2,
)

from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine as ExecutionEngine  # noqa: E402

__all__ = ["ExecutionEngine"]
