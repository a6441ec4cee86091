"""Netra application package.

Layout:
    agents/          supervisor, sub-agents and the execution engines
    websocket_core/  WebSocket manager (SSOT), message types and event emitters
    routes/          HTTP and WebSocket endpoints
    db/              models and repositories
    services/        business services shared by routes and agents
"""

CRITICAL_AGENT_EVENTS = (
    "agent_started",
    "agent_thinking",
    "tool_executing",
    "tool_completed",
    "agent_completed",
)
