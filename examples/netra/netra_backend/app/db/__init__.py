"""Database layer: declarative models and the repositories that wrap the session."""

DEFAULT_PAGE_SIZE = 50
