"""Agents: the supervisor, its sub-agents and the engines that execute them.

New code creates one ``UserExecutionEngine`` per request (see
``agents/supervisor/user_execution_engine.py``); ``agents/base/executor.py`` holds the
legacy shared engine that is being retired (Issue #980).
"""

DEFAULT_AGENT_TIMEOUT_S = 30.0
