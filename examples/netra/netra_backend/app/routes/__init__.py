"""HTTP and WebSocket routes.

The app factory registers these by dotted path so that importing the routes package
does not import every endpoint (and its dependencies) eagerly.
"""

ROUTE_MODULES = (
    "netra_backend.app.routes.websocket",
    "netra_backend.app.routes.agent_route",
    "netra_backend.app.routes.legacy_ws",
)
