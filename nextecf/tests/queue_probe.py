"""A job for the queue tests: records each run of a job id in a table of its own (which
the test creates), counting repeats instead of failing on them."""

from __future__ import annotations

import os
import time

from django.db import connection


def probe_record(job: int) -> None:
    time.sleep(0.02)  # long enough that both workers get some of the jobs
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO queue_probe (job, pid, runs) VALUES (%s, %s, 1) "
            "ON CONFLICT (job) DO UPDATE SET runs = queue_probe.runs + 1",
            [job, os.getpid()],
        )


if __name__ == "__main__":
    # A worker that also knows the probe job: `python -m nextecf.tests.queue_probe`.
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nextecf.settings")
    django.setup()
    from django.core.management import call_command
    from huey.contrib import djhuey

    from nextecf.tests import queue_probe  # registered under its module's name, not __main__

    djhuey.db_task()(queue_probe.probe_record)
    call_command("run_huey", "--no-periodic", "--workers", "2")
