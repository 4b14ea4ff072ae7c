"""gunicorn settings for NextECF: `gunicorn -c deploy/gunicorn.conf.py nextecf.wsgi`.

Everything a deployment changes comes from the environment: HOST and PORT (where to
listen), WEB_CONCURRENCY (worker processes), GUNICORN_TIMEOUT. The access log is one JSON
object per line on stdout, carrying the request id the application put on the response;
it logs the path without its query string, where a search's terms or a link's token
would otherwise end up."""

from __future__ import annotations

import datetime
import json
import os
from typing import Any

from gunicorn.glogging import Logger

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# 2 x cores + 1 is gunicorn's advice; capped so a large machine does not open more
# database connections than PostgreSQL's default max_connections allows for several nodes.
workers = int(os.environ.get("WEB_CONCURRENCY", "0")) or min(2 * (os.cpu_count() or 1) + 1, 12)
worker_class = "sync"
# Workers are replaced after this many requests (spread by the jitter, so not all at
# once): memory a request leaves behind is given back.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = max(1, max_requests // 10)
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Nothing a browser or a PACER client sends needs more; bigger requests are refused early.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "127.0.0.1") or "127.0.0.1"
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# gunicorn's own lines (start, stop, a worker killed on timeout) as JSON too; the access
# lines below are JSON already and pass through as they are.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"level": "INFO", "handlers": []},
    "formatters": {
        "as_is": {"format": "%(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "timestamp": "time",
            "rename_fields": {"levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "as_is",
            "stream": "ext://sys.stdout",
        },
        "error": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        },
    },
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["error"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
    },
}


class JsonAccessLogger(Logger):
    """One JSON object per request on the access log (a path with quotes in it cannot
    break the line), without the query string."""

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        headers = {name.lower(): value for name, value in (resp.headers or [])}
        line = {
            "time": datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds"),
            "logger": "gunicorn.access",
            "request_id": headers.get("x-request-id", ""),
            "remote_addr": environ.get("REMOTE_ADDR", ""),
            "method": environ.get("REQUEST_METHOD", ""),
            "path": environ.get("PATH_INFO", ""),
            "status": int(status),
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "user_agent": environ.get("HTTP_USER_AGENT", ""),
            "pid": os.getpid(),
        }
        try:
            self.access_log.info(json.dumps(line))
        except Exception:
            self.exception("access log line could not be written")


logger_class = JsonAccessLogger
