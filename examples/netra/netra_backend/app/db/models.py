"""Declarative models for threads, messages and agent runs.

Timestamps are timezone-aware UTC (Issue #980). ``Message.created_at`` still uses the
old naive default and is scheduled for the next migration batch.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

try:
    from sqlalchemy import Column, DateTime, String, Text
    from sqlalchemy.orm import declarative_base
except ImportError:  # pragma: no cover - minimal stand-ins so tooling can import the models

    class _ColumnType:
        def __init__(self, name: str, **options: Any) -> None:
            self.name = name
            self.options = options

        def __call__(self, *args: Any, **options: Any) -> _ColumnType:
            return _ColumnType(self.name, args=args, **options)

    DateTime = _ColumnType("DATETIME")
    String = _ColumnType("VARCHAR")
    Text = _ColumnType("TEXT")

    class Column:  # type: ignore[no-redef]
        def __init__(self, type_: Any, *, primary_key: bool = False, nullable: bool = True, index: bool = False,
                     default: Any = None, onupdate: Any = None) -> None:
            self.type = type_
            self.primary_key = primary_key
            self.nullable = nullable
            self.index = index
            self.default = default
            self.onupdate = onupdate

    def declarative_base() -> type:  # type: ignore[no-redef]
        return type("Base", (), {"metadata": None})


Base = declarative_base()


def new_id() -> str:
    return uuid.uuid4().hex


def utc_now() -> datetime:
    return datetime.now(UTC)


class Thread(Base):
    __tablename__ = "threads"

    id = Column(String(32), primary_key=True, default=new_id)
    user_id = Column(String(64), nullable=False, index=True)
    title = Column(String(255))
    created_at = Column(DateTime(timezone=True), default=utc_now)
    updated_at = Column(DateTime(timezone=True), default=utc_now, onupdate=utc_now)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "user_id": self.user_id, "title": self.title}


class Message(Base):
    __tablename__ = "messages"

    id = Column(String(32), primary_key=True, default=new_id)
    thread_id = Column(String(32), nullable=False, index=True)
    role = Column(String(16), nullable=False)
    content = Column(Text, nullable=False)
    created_at = Column(DateTime, default=datetime.utcnow)  # expect: MIG001

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "thread_id": self.thread_id, "role": self.role, "content": self.content}


class AgentRun(Base):
    __tablename__ = "agent_runs"

    id = Column(String(32), primary_key=True, default=new_id)
    thread_id = Column(String(32), nullable=False, index=True)
    agent_name = Column(String(64), nullable=False)
    status = Column(String(16), nullable=False, default="pending")
    started_at = Column(DateTime(timezone=True), default=utc_now)
    finished_at = Column(DateTime(timezone=True), nullable=True)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "thread_id": self.thread_id, "agent_name": self.agent_name, "status": self.status}
