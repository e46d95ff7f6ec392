"""The LOGGING setting (kept free of Django imports: settings.py reads it). The formatter and filter: xhht/core/logs.py."""

from __future__ import annotations

from typing import Any


def logging_config(*, log_dir: str, level: str = "INFO") -> dict[str, Any]:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "xhht.core.logs.ContextFilter"}},
        "formatters": {"json": {"()": "xhht.core.logs.Formatter"}},
        "handlers": {
            "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json", "filters": ["context"]},
            # Safe with several processes writing (gunicorn workers, xhht worker): rotation takes a file lock.
            "file": {"class": "concurrent_log_handler.ConcurrentRotatingFileHandler", "filename": f"{log_dir}/xhht.log",
                     "maxBytes": 20 * 1024 * 1024, "backupCount": 10, "encoding": "utf-8", "formatter": "json",
                     "filters": ["context"]},
        },
        "root": {"handlers": ["stdout", "file"], "level": level},
        "loggers": {
            "django": {"level": "INFO"},
            "django.db.backends": {"level": "WARNING"},
            "django.utils.autoreload": {"level": "WARNING"},
            "concurrent_log_handler": {"level": "WARNING"},
        },
    }
