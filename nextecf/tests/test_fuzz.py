"""A short, seeded run of the fuzzer of `make bench` (bench/fuzz.py, 10,000 requests), so
that `make test` already catches an input that makes a server error."""

from __future__ import annotations

from bench.fuzz import fuzz_run


def test_fuzzed_forms_and_json_as_every_kind_of_person_make_no_server_error(court):
    tally = fuzz_run(requests=300, seed=15)
    assert tally.requests == 300
    assert tally.errors == []
