"""Strict readers for settings that come from environment variables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_secret(name: str, dev_default: str | None) -> str:
    """A secret from NAME or from the file named by NAME_FILE (container secrets).

    Without either, the development default is used; production settings pass None,
    which makes a missing secret a hard failure instead of a silently weak one.
    """
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={path!r} cannot be read: {exc}") from exc
    value = os.environ.get(name)
    if value:
        return value
    if dev_default is None:
        raise ImproperlyConfigured(f"{name} must be set (or {name}_FILE) outside development")
    return dev_default


def env_secret_list(name: str) -> list[str]:
    """Several secrets (a key ring) from NAME or the file named by NAME_FILE, separated by
    commas or line breaks, in the order given; empty when neither is set."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            text = Path(path).read_text()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={path!r} cannot be read: {exc}") from exc
    else:
        text = os.environ.get(name, "")
    return [item.strip() for item in text.replace("\n", ",").split(",") if item.strip()]


def database_from_url(
    url: str, base_dir: Path, *, conn_max_age: int = 0, conn_health_checks: bool = False
) -> dict[str, Any]:
    """Django DATABASES entry for a database URL, parsed by dj-database-url: the query's
    options (sslmode, connect_timeout, ...) reach the driver. A relative SQLite path is
    taken from base_dir."""
    try:
        parsed: dict[str, Any] = dict(
            dj_database_url.parse(
                url, conn_max_age=conn_max_age, conn_health_checks=conn_health_checks
            )
        )
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL cannot be used: {exc}") from None
    engine = parsed["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        name = parsed["NAME"]
        if name == ":memory:" and ":memory:" not in url:
            name = "var/nextecf.sqlite3"  # a URL without a path means the usual file
        if name != ":memory:":
            path = Path(name)
            if not path.is_absolute():
                path = base_dir / path
            path.parent.mkdir(parents=True, exist_ok=True)
            parsed["NAME"] = str(path)
        # A short busy wait turns SQLite's "database is locked" into a queue.
        parsed["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"} | parsed.get(
            "OPTIONS", {}
        )
        return parsed
    if engine == "django.db.backends.postgresql":
        parsed["NAME"] = parsed["NAME"] or "postgres"
        parsed["PORT"] = str(parsed["PORT"])
        parsed["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME", "test_nextecf")}
        return parsed
    raise ImproperlyConfigured(f"DATABASE_URL scheme {urlsplit(url).scheme!r} is not supported")


def task_queue_from_url(
    url: str, base_dir: Path, *, name: str, immediate: bool, workers: int
) -> dict[str, Any]:
    """Huey's settings (huey.contrib.djhuey) for a queue URL: sqlite:///path (relative to
    base_dir) or redis://host:port/db. The consumer runs threads: the tasks wait on the
    database and the mail server, not on the CPU."""
    scheme = urlsplit(url).scheme
    consumer = {"workers": workers, "worker_type": "thread"}
    common = {"name": name, "immediate": immediate, "results": False, "consumer": consumer}
    if scheme == "sqlite":
        # sqlite:///var/tasks.sqlite3 is relative, sqlite:////srv/tasks.sqlite3 absolute.
        path = Path(url.removeprefix("sqlite:///") or "var/tasks.sqlite3")
        if not path.is_absolute():
            path = base_dir / path
        if not immediate:
            path.parent.mkdir(parents=True, exist_ok=True)
        return {**common, "huey_class": "huey.SqliteHuey", "filename": str(path)}
    if scheme in ("redis", "rediss", "unix"):
        if "socket_connect_timeout" not in url:
            # An unreachable Redis fails within seconds instead of hanging a request.
            url += ("&" if "?" in url else "?") + "socket_connect_timeout=5"
        return {**common, "huey_class": "huey.RedisHuey", "url": url}
    raise ImproperlyConfigured(
        f"TASK_QUEUE_URL scheme {scheme!r} is not supported: use sqlite:///path or redis://"
    )


def same_database(first: dict[str, Any], second: dict[str, Any]) -> bool:
    """Whether two DATABASES entries name one database (engine, host, port and name; the
    role and options do not make it another)."""

    def where(entry: dict[str, Any]) -> tuple[str, str, str, str]:
        host = str(entry.get("HOST") or "").lower()
        if host in ("localhost", "::1"):
            host = "127.0.0.1"
        port = str(entry.get("PORT") or "")
        if entry["ENGINE"] == "django.db.backends.postgresql":
            port = port or "5432"
        return (entry["ENGINE"], host, port, str(entry.get("NAME") or ""))

    return where(first) == where(second)
