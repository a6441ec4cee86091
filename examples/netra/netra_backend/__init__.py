"""Netra backend: agent orchestration, real-time WebSocket events and persistence.

The application code lives in :mod:`netra_backend.app`.
"""

__version__ = "1.0.0"
SERVICE_NAME = "netra-ai-platform"
