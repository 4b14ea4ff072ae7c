"""`make bench`: measured costs of NextECF's requests, each printed as one line
`<name>: <value> (target <= <target>)`.

Runs in-process against a throwaway SQLite database with the real password hashers, so
that the figures are the server's own costs. Add a benchmark by writing a function that
returns (name, value, target) and listing it in bench.benchmarks.BENCHMARKS.
"""
