"""Structured (JSON-lines) server logs, so a client's requestId finds its log line."""

import json
import logging
from datetime import UTC, datetime
from typing import Any

FIELDS = (
    "request_id",
    "account_id",
    "method",
    "path",
    "status",
    "duration_ms",
    "operation",
    "outcome",
    "read_path",
)


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, known extras, traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({name: getattr(record, name) for name in FIELDS if hasattr(record, name)})
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: str = "INFO") -> None:
    """Send the app's `switchboard.*` loggers to stderr as JSON lines (`switchboard.access`:
    one line per request, written by app.web.telemetry)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("switchboard")
    logger.handlers[:] = [handler]
    logger.setLevel(level.upper())
    logger.propagate = False
