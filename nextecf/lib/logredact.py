"""Keeps one-time tokens out of access logs.

Emailed links carry their token in the query (?t=..., moved into a cookie and redirected
away on the first request, accounts.views.common.stash_token), but that first request line
still reaches the web server's access log: runserver's `django.server` logger and
gunicorn's `gunicorn.access`. This filter, attached to both (accounts.apps), blanks the
value of every token parameter before a record is written."""

from __future__ import annotations

import logging
import re
from typing import Any

TOKEN_PARAMETERS = ("t", "token", "nextGenCSO")
_NAMES = "|".join(TOKEN_PARAMETERS)
_TOKEN = re.compile(rf"(?P<key>[?&](?:{_NAMES})=)[^&\s\"]*")
ACCESS_LOGGERS = ("django.server", "gunicorn.access")


def redact(text: str) -> str:
    return _TOKEN.sub(r"\g<key>[redacted]", text)


def _clean(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: _clean(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_clean(value) for value in record.args)
        return True


def install() -> None:
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
