"""Searches at a million cases, on PostgreSQL.

Two databases are built by bulk COPY and kept for the next run (a marker table holds their
row counts): BENCH_DATABASE_URL with 1,000,000 cases, and the same name with `_10k` with
the first 10,000 cases of the same deterministic stream. Each is measured by a child process
(`python -m bench.scale measure`) set up on that database, through the real code paths: the
Query page's selector and the PCL service.
"""

from __future__ import annotations

import functools
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/nextecf_bench"
BIG, SMALL = 1_000_000, 10_000
FIRST_YEAR, YEARS = 2006, 20  # a 20-year court; the factories' cases are of this year
MARKER = "bench_scale_marker"
RUNS = 9
ROUNDS = 3
Result = tuple[str, float, float]

# Names drawn from syllables: ~20,000 surnames, as varied as a court's real parties.
_HEADS = [
    a + b
    for a in [
        "B",
        "C",
        "D",
        "F",
        "G",
        "H",
        "K",
        "L",
        "M",
        "N",
        "P",
        "R",
        "S",
        "T",
        "V",
        "W",
        "Z",
        "Br",
        "Ch",
        "Gr",
        "Kr",
        "St",
        "Tr",
        "Sh",
        "Fr",
    ]
    for b in ["a", "e", "i", "o", "u", "ai", "ei", "ou"]
]
_TAILS = [
    "ban",
    "bel",
    "berg",
    "bury",
    "dan",
    "den",
    "dorf",
    "ford",
    "gan",
    "gard",
    "hart",
    "ko",
    "kov",
    "lan",
    "land",
    "lar",
    "ler",
    "ley",
    "lin",
    "lo",
    "low",
    "man",
    "mar",
    "mer",
    "mont",
    "nak",
    "nel",
    "ner",
    "ni",
    "no",
    "nov",
    "quist",
    "ra",
    "ran",
    "ri",
    "rin",
    "ro",
    "ron",
    "sen",
    "ski",
    "son",
    "stad",
    "stein",
    "ter",
    "ti",
    "ton",
    "tov",
    "va",
    "ver",
    "vik",
    "well",
    "wick",
    "wood",
    "yama",
    "zaki",
    "zio",
    "lli",
    "naga",
    "moto",
    "ssi",
    "tto",
]
SURNAMES = [head + tail for head in _HEADS for tail in _TAILS]
FIRST_NAMES = [
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Wei",
    "Yuki",
    "Hiroshi",
    "Mei",
    "Ana",
    "Jose",
    "Luis",
    "Maria",
    "Ahmed",
    "Fatima",
    "Olga",
    "Ivan",
    "Priya",
    "Raj",
    "Chen",
    "Li",
    "Sofia",
    "Lucas",
    "Emma",
    "Noah",
]
INDUSTRIES = [
    "Steel",
    "Textiles",
    "Imports",
    "Trading",
    "Chemical",
    "Apparel",
    "Seafood",
    "Furniture",
    "Solar",
    "Tire",
    "Paper",
    "Aluminum",
    "Pipe",
    "Honey",
    "Garlic",
    "Shrimp",
    "Electronics",
    "Machinery",
    "Lumber",
    "Footwear",
    "Toys",
    "Glass",
    "Ceramics",
    "Plastics",
    "Fasteners",
    "Wire",
    "Nails",
    "Rubber",
    "Cement",
    "Candles",
    "Bearings",
    "Magnets",
]
SUFFIXES = ["Inc.", "LLC", "Co., Ltd.", "Corporation", "Industries", "International", "Group"]
JURISDICTIONS = ["1581a", "1581c", "1581i", "1581a", "1581a"]
CASE_COLUMNS = [
    "id",
    "court_id",
    "number",
    "year",
    "sequence",
    "title",
    "jurisdiction",
    "category",
    "agency",
    "product_description",
    "export_country",
    "date_filed",
    "date_terminated",
    "date_reopened",
    "constitutional_question",
    "is_sealed",
    "created_at",
]
PARTY_COLUMNS = ["case_id", "name", "role", "extra_info", "position", "created_at"]
ENTRY_COLUMNS = ["case_id", "number", "seq", "date_filed", "entered_at", "text"]
# What a docket entry asks for; one entry a case, so 1,000,000 entries at a million cases.
MOTIONS = [
    "Extension of Time to File Answer",
    "Leave to File Amended Complaint",
    "Judgment on the Agency Record",
    "Preliminary Injunction",
    "Temporary Restraining Order",
    "Protective Order",
    "Stay of Proceedings",
    "Voluntary Remand",
    "Leave to Intervene as of Right",
    "Oral Argument",
    "Consolidation with Related Actions",
    "Summary Judgment on Classification",
    "Dismissal for Lack of Jurisdiction",
    "Reconsideration of the Scheduling Order",
    "Admission Pro Hac Vice",
    "Enlargement of the Page Limit",
    "Substitution of Counsel",
    "Access to Business Proprietary Information",
    "Supplementation of the Administrative Record",
    "Test Case Designation",
    "Suspension under the Test Case",
    "Sanctions for Discovery Violations",
    "Entry of Confidential Judgment",
    "Release of Bond",
    "Expedited Briefing Schedule",
    "Default Judgment",
    "Severance of Claims",
    "Relief from Liquidation",
    "Correction of Clerical Error",
    "Reinstatement of the Action",
]


def company(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(INDUSTRIES)} {rng.choice(SUFFIXES)}"


def rows(count: int, first_id: int) -> Iterator[tuple[tuple[Any, ...], list[tuple[Any, ...]]]]:
    """Cases and their parties, the same for the same position in the stream."""
    rng = random.Random(20260101)
    per_year = -(-BIG // YEARS)
    for n in range(count):
        year = FIRST_YEAR + n // per_year
        sequence = n % per_year + 1
        filed = date(year, 1, 1) + timedelta(days=(sequence * 365) // per_year)
        plaintiff = company(rng)
        terminated = filed + timedelta(days=rng.randint(90, 2000)) if rng.random() < 0.8 else None
        created = f"{filed.isoformat()} 12:00:00+00"
        case = (
            first_id + n,
            "cit",
            f"1:{year % 100:02d}-cv-{sequence:05d}",
            year,
            sequence,
            f"{plaintiff} v. United States",
            rng.choice(JURISDICTIONS),
            "Classification 19USC § 1514(a)(2)",
            "U.S. Customs and Border Protection",
            "",
            "",
            filed,
            terminated,
            None,
            False,
            rng.random() < 0.01,
            created,
        )
        parties = [
            (first_id + n, plaintiff, "Plaintiff", "", 0, created),
            (first_id + n, "United States", "Defendant", "", 1, created),
        ]
        if rng.random() < 0.4:
            other = company(rng) if rng.random() < 0.6 else _person(rng)
            parties.append((first_id + n, other, "Intervenor Defendant", "", 2, created))
        yield case, parties


def entries(count: int, first_id: int) -> Iterator[tuple[Any, ...]]:
    """One docket entry per case, from a stream of its own (the cases' stream unchanged)."""
    rng = random.Random(20261202)
    for case, _parties in rows(count, first_id):
        filed = case[11] + timedelta(days=rng.randint(1, 300))
        text = (
            f"MOTION for {rng.choice(MOTIONS)} filed by {str(case[5]).split(' v. ')[0]}. "
            f"Responses due by {filed + timedelta(days=21):%m/%d/%Y}. "
            f"({rng.choice(SURNAMES)}, {rng.choice(FIRST_NAMES)})"
        )
        yield (case[0], 1, 1, filed, f"{filed.isoformat()} 12:00:00+00", text)


def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)}, {rng.choice(FIRST_NAMES)}"


def queries() -> dict[str, list[str]]:
    """Realistic search terms, taken from the first cases, so both databases hold them."""
    picked = [case for case, _parties in rows(60, 1)][10::10]
    titles = [str(case[5]) for case in picked]
    surnames = [title.split()[0] for title in titles]
    return {
        "case_name": [" ".join(title.split()[:2]) for title in titles],  # "Kowalski Steel"
        "party_name": [title.split(" v. ")[0] for title in titles],  # the whole company name
        "pcl_case_title": surnames,
        "pcl_party": surnames,
        # Words of a docket entry: what the motion asks for, and the plaintiff's surname.
        "fulltext": [_entry_words(str(entry[5])) for entry in list(entries(60, 1))[10::10]],
    }


def _entry_words(text: str) -> str:
    motion, plaintiff = text.removeprefix("MOTION for ").split(" filed by ", 1)
    return f"{motion.split()[-1]} {plaintiff.split()[0]}"  # e.g. "Injunction Fuzaki"


# --- Building ---------------------------------------------------------------------------------


def database_url(size: int) -> str:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if size == BIG:
        return url
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"{parts.path}_10k"))


def reachable(url: str) -> bool:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    try:
        psycopg.connect(admin, connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


def _manage(url: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "false"}
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def built(url: str, size: int) -> bool:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            found = conn.execute(f"SELECT cases, entries FROM {MARKER}").fetchone()  # noqa: S608
    except psycopg.Error:
        return False  # none yet, or an older bench's (without docket entries)
    return found is not None and found[0] == found[1] == size


def build(url: str, size: int, progress: Callable[[str], None]) -> None:
    """A fresh database of `size` cases: migrated, the search indexes dropped, the rows
    copied in, then the indexes built again by their migration."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    start = time.perf_counter()
    _manage(url, "migrate", "--noinput", "-v", "0")
    _manage(url, "migrate", "cases", "0002", "--noinput", "-v", "0")
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "false"}
    subprocess.run([sys.executable, "-m", "bench.scale", "fixtures"], cwd=ROOT, env=env, check=True)
    with psycopg.connect(url) as conn:
        first_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM cases_case").fetchone()
        assert first_id is not None
        parties = 0
        with conn.cursor() as cur:
            with cur.copy(f"COPY cases_case ({', '.join(CASE_COLUMNS)}) FROM STDIN") as copy:
                party_rows: list[tuple[Any, ...]] = []
                for case, case_parties in rows(size, first_id[0]):
                    copy.write_row(case)
                    party_rows.extend(case_parties)
            with cur.copy(f"COPY cases_party ({', '.join(PARTY_COLUMNS)}) FROM STDIN") as copy:
                for party in party_rows:
                    copy.write_row(party)
            parties = len(party_rows)
            with cur.copy(
                f"COPY cases_docketentry ({', '.join(ENTRY_COLUMNS)}) FROM STDIN"
            ) as copy:
                for entry in entries(size, first_id[0]):
                    copy.write_row(entry)
            cur.execute("SELECT setval('cases_case_id_seq', (SELECT max(id) FROM cases_case))")
    took = time.perf_counter() - start
    progress(f"  copied {size:,} cases, {parties:,} parties, {size:,} entries in {took:.0f} s")
    indexing = time.perf_counter()
    _manage(url, "migrate", "--noinput", "-v", "0")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        conn.execute(f"CREATE TABLE {MARKER} (cases integer, parties integer, entries integer)")
        conn.execute(f"INSERT INTO {MARKER} VALUES (%s, %s, %s)", [size, parties, size])  # noqa: S608
    progress(
        f"  indexed in {time.perf_counter() - indexing:.0f} s; "
        f"built in {time.perf_counter() - start:.0f} s"
    )


def ensure(size: int, progress: Callable[[str], None]) -> str:
    url = database_url(size)
    if built(url, size):
        progress(f"  reusing {size:,} cases in {urlsplit(url).path.lstrip('/')}")
        _manage(url, "migrate", "--noinput", "-v", "0")  # this checkout's newer migrations
    else:
        progress(f"  building {size:,} cases in {urlsplit(url).path.lstrip('/')}")
        build(url, size, progress)
    return url


def child(url: str, command: str) -> dict[str, float]:
    """Run `python -m bench.scale <command>` on the database at url; its figures."""
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "false"}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.scale", command],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


# --- The figures, in the parent -------------------------------------------------------------

NOT_MEASURED = "!" * 90


@functools.cache
def figures() -> dict[str, dict[str, float]] | None:
    """Every scale figure, or None (said loudly) without PostgreSQL."""
    from bench.report import progress

    url = database_url(BIG)
    if not reachable(url):
        for text in (
            NOT_MEASURED,
            f"!! PostgreSQL does not answer at {url} (BENCH_DATABASE_URL).",
            "!! The 1M-case search, docket and throughput figures were NOT measured.",
            NOT_MEASURED,
        ):
            progress(text)
        return None
    small, big = ensure(SMALL, progress), ensure(BIG, progress)
    # Alternated, so that a busy spell of a shared machine weighs on both sizes alike.
    rounds: dict[str, list[dict[str, float]]] = {"10k": [], "1m": []}
    for _round in range(ROUNDS):
        rounds["10k"].append(child(small, "measure"))
        rounds["1m"].append(child(big, "measure"))
    found = {
        size: {name: statistics.median(r[name] for r in runs) for name in runs[0]}
        for size, runs in rounds.items()
    }
    for size in ("10k", "1m"):
        shown = ", ".join(f"{k} {v * 1000:.1f} ms" for k, v in found[size].items())
        progress(f"  {size} medians: {shown}")
    found["docket"] = child(big, "docket")
    progress(
        f"  20k docket report {found['docket']['report'] * 1000:.0f} ms, "
        f"raw SQL {found['docket']['raw'] * 1000:.0f} ms"
    )
    found["throughput"] = child(big, "throughput")
    progress("  requests/s: " + ", ".join(f"{k} {v:.0f}" for k, v in found["throughput"].items()))
    return found


def _search_ratio(name: str, label: str, target: float = 1.3) -> Result | None:
    found = figures()
    if found is None:
        return None
    return f"{label}_1m_vs_10k", found["1m"][name] / found["10k"][name], target


def fulltext_search() -> Result | None:
    # 1,000,000 docket entries (one per case) against 10,000: the words of one entry.
    found = figures()
    if found is None:
        return None
    return (
        "fulltext_search_1m_entries_vs_10k",
        found["1m"]["fulltext"] / found["10k"]["fulltext"],
        1.5,
    )


def case_name_search() -> Result | None:
    return _search_ratio("case_name", "case_name_search")


def party_name_search() -> Result | None:
    return _search_ratio("party_name", "party_name_search")


def pcl_case_title_search() -> Result | None:
    return _search_ratio("pcl_case_title", "pcl_case_title_search")


def pcl_party_search() -> Result | None:
    return _search_ratio("pcl_party", "pcl_party_search")


def docket_report_20k_vs_raw_sql() -> Result | None:
    found = figures()
    if found is None:
        return None
    docket = found["docket"]
    return "docket_report_20k_vs_raw_sql", docket["report"] / docket["raw"], 2


def bare_view_vs_docket_report_throughput() -> Result | None:
    found = figures()
    if found is None:
        return None
    rates = found["throughput"]
    return "bare_view_vs_docket_report_throughput", rates["bare"] / rates["docket"], 5


def idle_vs_busy_bare_view_throughput() -> Result | None:
    found = figures()
    if found is None:
        return None
    rates = found["throughput"]
    return "idle_vs_busy_bare_view_throughput", rates["bare"] / rates["busy"], 1.5


SCALE_BENCHMARKS: list[Callable[[], Result | None]] = [
    case_name_search,
    party_name_search,
    pcl_case_title_search,
    pcl_party_search,
    fulltext_search,
    docket_report_20k_vs_raw_sql,
    bare_view_vs_docket_report_throughput,
    idle_vs_busy_bare_view_throughput,
]


# --- In the child process, set up on one database ---------------------------------------------


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nextecf.settings")
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    import django

    django.setup()


def fixtures() -> None:
    """The court and the account that searches (no staff: the sealed-case rule applies)."""
    from nextecf.accounts.factories import AccountFactory
    from nextecf.courts.factories import CourtFactory

    CourtFactory()
    AccountFactory.create(username="bench-searcher")


def median_seconds(call: Callable[[], object]) -> float:
    call()  # warms the caches
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def searches() -> dict[str, Callable[[str], object]]:
    from nextecf.accounts.models import Account, SignOn, hash_token
    from nextecf.api import schemas, services
    from nextecf.cases.selectors import search_cases
    from nextecf.courts.models import Court
    from nextecf.lib.actor import Actor
    from nextecf.search import Criteria, court_text_search

    user = Account.objects.get(username="bench-searcher")
    court = Court.objects.get(pk="cit")
    signon = SignOn.objects.create(account=user, token_hash=hash_token(SignOn.new_token()))
    actor = Actor(account=user, signon=signon, court=court)

    def pcl(kind: services.SearchKind, body: dict[str, Any]) -> object:
        parse = schemas.parse_case_search if kind.is_cases else schemas.parse_party_search
        criteria, parsed = parse(body)
        return services.find(
            actor=actor,
            kind=kind,
            criteria=criteria,
            parsed=parsed,
            orders=[],
            page=0,
            client_code="",
        )

    return {
        "case_name": lambda q: search_cases(user=user, court=court, case_name=q),
        "party_name": lambda q: search_cases(user=user, court=court, party_name=q),
        "pcl_case_title": lambda q: pcl(services.CASES, {"caseTitle": q, "courtId": ["citdc"]}),
        "pcl_party": lambda q: pcl(services.PARTIES, {"lastName": q}),
        "fulltext": lambda q: court_text_search(user=user, court=court, criteria=Criteria(text=q)),
    }


def measure_here() -> dict[str, float]:
    terms = queries()
    result = {}
    for name, search in searches().items():
        result[name] = statistics.median(
            median_seconds(functools.partial(search, term)) for term in terms[name]
        )
    return result


# --- The docket report, on the big database --------------------------------------------------


def docket_fixture(entries: int) -> Any:
    from django.db import transaction

    from bench.benchmarks import docket_case
    from nextecf.accounts.factories import AccountFactory
    from nextecf.cases.models import Case
    from nextecf.courts.factories import FilerAccountFactory
    from nextecf.courts.models import FilerAccount

    title = f"Bench Importer {entries}, Inc. v. United States"
    found = Case.objects.filter(title=title).first()
    if found is not None and found.entries.count() == entries:
        return found
    # An earlier run's factories made accounts too: number this run's after theirs.
    taken = FilerAccount.objects.count() + 1
    FilerAccountFactory.reset_sequence(1000 * taken)
    AccountFactory.reset_sequence(1000 * taken)
    with transaction.atomic():
        Case.objects.filter(title=title).update(title=f"{title} (incomplete)")
        return docket_case(entries)


def signed_on_client() -> Any:
    from django.test import Client

    from bench.benchmarks import expect, log_in

    client = Client()
    expect(log_in(client, "bench-searcher"), 302)
    return client


def docket_here() -> dict[str, float]:
    """The 20,000-entry docket report against one raw query of its rows, on PostgreSQL."""
    from bench.benchmarks import post_docket, raw_docket_rows

    big = docket_fixture(20_000)
    client = signed_on_client()
    report = median_seconds(lambda: post_docket(client, big))
    raw = median_seconds(lambda: raw_docket_rows(big))
    return {"report": report, "raw": raw}


# --- Throughput through gunicorn ----------------------------------------------------------------

WORKERS = 3
LOAD = ["-t", "2", "-c", "12", "-d", "6s"]
DOCKET_LUA = """
wrk.method = "POST"
wrk.body = "{body}"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "{cookie}"
"""


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wrk(url: str, script: Path | None = None) -> float:
    args = ["wrk", *LOAD, *(["-s", str(script)] if script else []), url]
    done = subprocess.run(args, check=True, capture_output=True, text=True)  # noqa: S603
    for text in done.stdout.splitlines():
        if text.startswith("Requests/sec:"):
            return float(text.split()[1])
    raise RuntimeError(f"wrk gave no rate: {done.stdout} {done.stderr}")


def throughput_here() -> dict[str, float]:
    """Requests/s of the bare view and of a 15-entry docket report through gunicorn, and of
    the bare view while three of the slowest searches run at once in other connections."""
    import tempfile
    import threading
    import urllib.request
    from urllib.parse import urlencode

    from django.db import connection

    from bench.benchmarks import DOCKET

    small = docket_fixture(15)
    client = signed_on_client()
    cookie = "; ".join(f"{key}={morsel.value}" for key, morsel in client.cookies.items())
    port = free_port()
    # Persistent database connections, as a production node runs: otherwise each request
    # that reads the database pays for a new PostgreSQL backend, and the bare view none.
    env = {**os.environ, "BENCH_VIEWS": "true", "DEBUG": "false", "DATABASE_CONN_MAX_AGE": "60"}
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "nextecf.wsgi",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/bench/bare", timeout=1).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        body = urlencode(
            {
                "all_case_ids": small.pk,
                "sort1": "oldest date first",
                "date_range_type": "Filed",
                "date_from": "1/1/1960",
                "output_format": "html",
                "case_num": " ",
                "list_of_parties_and_counsel": "on",
                "terminated_parties": "on",
                "pdf_header": "1",
            }
        )
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(DOCKET_LUA.format(body=body, cookie=cookie))
        check = urllib.request.Request(  # noqa: S310
            base + DOCKET, data=body.encode(), headers={"Cookie": cookie}
        )
        page = urllib.request.urlopen(check, timeout=30).read()  # noqa: S310
        if b"DOCKET FOR CASE #: " + small.number.encode() not in page:
            raise RuntimeError("the docket report did not come back through gunicorn")
        bare = wrk(f"{base}/bench/bare")
        docket = wrk(base + DOCKET, Path(script.name))
        os.unlink(script.name)

        slowest = searches()["party_name"]
        term = queries()["party_name"][0]
        stop = threading.Event()

        def search_loop() -> None:
            while not stop.is_set():
                slowest(term)
            connection.close()

        loops = [threading.Thread(target=search_loop) for _ in range(3)]
        for loop in loops:
            loop.start()
        try:
            busy = wrk(f"{base}/bench/bare")
        finally:
            stop.set()
            for loop in loops:
                loop.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"bare": bare, "docket": docket, "busy": busy}


COMMANDS: dict[str, Callable[[], object]] = {
    "fixtures": fixtures,
    "measure": lambda: print(json.dumps(measure_here())),
    "docket": lambda: print(json.dumps(docket_here())),
    "throughput": lambda: print(json.dumps(throughput_here())),
}

if __name__ == "__main__":
    _setup()
    COMMANDS[sys.argv[1]]()
