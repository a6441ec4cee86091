"""Ships product analytics events to the collector in batches."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any, Optional

import requests

try:
    from netra_backend.app.optional_mod import X
except ImportError:
    X = None

logger = logging.getLogger(__name__)


@dataclass
class AnalyticsEvent:
    name: str
    user_id: str
    properties: dict[str, Any] = field(default_factory=dict)
    occurred_at: datetime.datetime = field(default_factory=lambda: datetime.datetime.now(datetime.UTC))

    def to_payload(self) -> dict[str, Any]:
        return {
            "event": self.name,
            "user_id": self.user_id,
            "properties": self.properties,
            "occurred_at": self.occurred_at.isoformat(),
        }


class AnalyticsService:
    def __init__(self, endpoint: str, api_key: str, batch_size: int = 50,
                 session: Optional[requests.Session] = None) -> None:
        self.endpoint = endpoint
        self.batch_size = batch_size
        self._session = session or requests.Session()
        self._session.headers["Authorization"] = f"Bearer {api_key}"
        self._queue: list[AnalyticsEvent] = []

    def track(self, name: str, user_id: str, **properties: Any) -> None:
        event = AnalyticsEvent(name=name, user_id=user_id, properties=properties)
        if X is not None:
            event.properties.update(X.enrich(event.name, event.user_id))
        self._queue.append(event)
        if len(self._queue) >= self.batch_size:
            self.flush()

    def flush(self) -> int:
        if not self._queue:
            return 0
        batch, self._queue = self._queue, []
        sent_at = datetime.datetime.utcnow()  # expect: MIG001
        body = {"sent_at": sent_at.isoformat() + "Z", "events": [event.to_payload() for event in batch]}
        try:
            response = self._session.post(self.endpoint, json=body, timeout=5)
            response.raise_for_status()
        except requests.RequestException:
            logger.warning("analytics flush failed; re-queueing %d events", len(batch))
            self._queue[:0] = batch
            return 0
        return len(batch)
