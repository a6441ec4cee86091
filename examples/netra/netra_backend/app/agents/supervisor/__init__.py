"""Supervisor agent internals: per-user execution context and execution engine.

Canonical imports::

    from netra_backend.app.agents.supervisor.user_execution_context import UserExecutionContext
    from netra_backend.app.agents.supervisor.user_execution_engine import UserExecutionEngine
"""
