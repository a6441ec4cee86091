"""Login sessions. Sessions are only opened for active users."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from netra_backend.app.services.user_service import UserService  # expect: MIG005


@dataclass
class Session:
    session_id: str
    user_id: str
    created_at: datetime
    expires_at: datetime

    def is_expired(self, now: datetime) -> bool:
        return now >= self.expires_at


class SessionService:
    SESSION_TTL = timedelta(hours=12)

    def __init__(self, users: UserService) -> None:
        self.users = users
        self._sessions: dict[str, Session] = {}

    async def open_session(self, user_id: str) -> Session:
        if await self.users.get_user(user_id) is None:
            raise PermissionError(f"user {user_id!r} is unknown or inactive")
        now = datetime.utcnow()  # expect: MIG001
        session = Session(secrets.token_urlsafe(24), user_id, now, now + self.SESSION_TTL)
        self._sessions[session.session_id] = session
        return session

    async def revoke_all(self, user_id: str) -> int:
        doomed = [sid for sid, session in self._sessions.items() if session.user_id == user_id]
        for sid in doomed:
            del self._sessions[sid]
        return len(doomed)

    def purge_expired(self) -> int:
        now = datetime.utcnow()  # expect: MIG001
        expired = [sid for sid, session in self._sessions.items() if session.is_expired(now)]
        for sid in expired:
            del self._sessions[sid]
        return len(expired)
