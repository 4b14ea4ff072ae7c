"""Named fault points, for tests that kill a process half way through a transaction.

A fault point does nothing unless the environment variable NEXTECF_FAULT_POINT names it;
then the process ends on the spot with os._exit: no exception handler, `finally` block or
on-commit hook runs, as when a server is killed. Only the crash-recovery tests set it.
"""

from __future__ import annotations

import os

ENV = "NEXTECF_FAULT_POINT"


def fault_point(name: str) -> None:
    if os.environ.get(ENV) == name:
        os._exit(1)
