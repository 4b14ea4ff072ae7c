"""The task queue (Huey, configured by settings.HUEY from TASK_QUEUE_URL), typed for our
tasks. Tasks close stale database connections around themselves (djhuey's db_task); each
periodic job also holds a lock for as long as it runs, so a second scheduler started by
mistake never runs it twice at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from huey import crontab
from huey.contrib import djhuey

__all__ = ["crontab", "periodic_job", "queue_reachable", "task"]


def task(**options: Any) -> Callable[[Callable[..., Any]], Any]:
    """A task: calling it enqueues it (in immediate mode, runs it at once)."""
    decorator: Callable[[Callable[..., Any]], Any] = djhuey.db_task(**options)
    return decorator


def periodic_job(schedule: Callable[..., bool], *, lock: str) -> Callable[[Callable[[], Any]], Any]:
    """A job the scheduler (`run_huey` without --no-periodic) enqueues on `schedule`; it
    runs under the named lock (a second copy finds it held and is skipped)."""

    def decorator(fn: Callable[[], Any]) -> Any:
        locked = djhuey.HUEY.lock_task(lock)(fn)
        return djhuey.db_periodic_task(schedule)(locked)

    return decorator


def queue_reachable() -> None:
    """Raises if the queue's storage (the SQLite file, the Redis server) cannot be read."""
    djhuey.HUEY.pending_count()
