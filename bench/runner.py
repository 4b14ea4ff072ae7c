"""Runs every benchmark and prints one line per figure."""

from __future__ import annotations

import tempfile
import traceback
from pathlib import Path

from bench import environment
from bench.report import line, progress


def main() -> int:
    failed = False
    with tempfile.TemporaryDirectory(prefix="nextecf-bench-") as directory:
        progress(f"setting up a database in {directory}")
        environment.prepare(Path(directory))
        # Models can be imported only now that Django is set up.
        from django.db import connections

        from bench.benchmarks import BENCHMARKS, setup_data

        try:
            setup_data()
            for benchmark in BENCHMARKS:
                progress(f"running {benchmark.__name__}")
                try:
                    result = benchmark()
                except Exception:
                    # A broken flow has no figure to print; the other benchmarks still run.
                    traceback.print_exc()
                    failed = True
                    continue
                if result is None:
                    continue  # not measurable here, and said so loudly
                print(line(*result), flush=True)
        finally:
            connections.close_all()
    # A missed target is a result like any other (exit 0); a benchmark that could not run
    # is not.
    return 1 if failed else 0
