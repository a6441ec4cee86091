"""DEPRECATED: pre-#186 import path for the agent registry.

The registry moved to ``netra_backend.app.agents.registry``. Every caller has been
migrated, so this redirect can be deleted.
"""

import warnings

warnings.warn(  # expect: MIG007
    "netra_backend.app.agents.supervisor.agent_registry_legacy is deprecated; "
    "import AgentRegistry from netra_backend.app.agents.registry",
    DeprecationWarning,
    stacklevel=2,
)

from netra_backend.app.agents.registry import AgentRegistry  # noqa: E402

__all__ = ["AgentRegistry"]
