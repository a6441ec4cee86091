"""Unit tests for netra_backend.

Several of these still import through the legacy paths (execution_engine shims, the
websocket_core package re-exports); they are migrated incrementally after #980.
"""
