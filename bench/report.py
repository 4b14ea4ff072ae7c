"""How figures and progress are shown: figures on stdout, one line each, all else on stderr."""

from __future__ import annotations

import sys


def line(name: str, value: float, target: float) -> str:
    shown = str(value) if isinstance(value, int) else f"{value:.2f}"
    bound = str(target) if isinstance(target, int) else f"{target:g}"
    return f"{name}: {shown} (target <= {bound})"


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
