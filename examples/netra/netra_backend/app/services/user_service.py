"""User accounts: creation, lookup and deactivation."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Optional

from netra_backend.app.services.session_service import SessionService

logger = logging.getLogger(__name__)


@dataclass
class UserProfile:
    user_id: str
    email: str
    display_name: str = ""
    is_active: bool = True
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))


class UserService:
    def __init__(self, sessions: Optional[SessionService] = None) -> None:
        self._users: dict[str, UserProfile] = {}
        self.sessions = sessions or SessionService(self)

    async def create_user(self, user_id: str, email: str, display_name: str = "") -> UserProfile:
        if user_id in self._users:
            raise ValueError(f"user {user_id!r} already exists")
        profile = UserProfile(user_id=user_id, email=email.strip().lower(), display_name=display_name)
        self._users[user_id] = profile
        return profile

    async def get_user(self, user_id: str) -> Optional[UserProfile]:
        profile = self._users.get(user_id)
        return profile if profile is not None and profile.is_active else None

    async def deactivate_user(self, user_id: str) -> bool:
        profile = self._users.get(user_id)
        if profile is None:
            return False
        profile.is_active = False
        revoked = await self.sessions.revoke_all(user_id)
        logger.info("deactivated %s, revoked %d sessions", user_id, revoked)
        return True
