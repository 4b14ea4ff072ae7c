"""The benchmarks. Each returns (name, value, target); the target is an upper bound."""

from __future__ import annotations

import functools
import re
import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, TypeVar

from django.contrib.auth.hashers import check_password
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.counting import PasswordWork, counting_password_work
from bench.filing import (
    filing_10mb_pdf_vs_hash_and_store_ratio,
    filing_upload_10mb_pdf_vs_hash_and_store_ratio,
)
from bench.fuzz import fuzz_server_errors
from bench.report import progress
from bench.scale import SCALE_BENCHMARKS
from bench.upload import upload_50mb_peak_rss_growth_vs_file_size
from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.cases.factories import AppearanceFactory, CaseFactory, PartyFactory
from nextecf.cases.models import (
    Appearance,
    Case,
    DocketEntry,
    Document,
    Party,
    ProtectiveOrderAdmission,
)
from nextecf.courts.factories import LEGACY_PASSWORD, CourtFactory, FilerAccountFactory
from nextecf.courts.models import FilerAccount

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

Result = tuple[str, float, float]
T = TypeVar("T")

WARMUP = 2
REPETITIONS = 15
LOGIN = "/csologin/login/?court=cit"
LINK = "/cit/utilities/link/"
CONFIRM = "/cit/utilities/link/confirm/"
DONE = "/cit/utilities/link/done/"
PENDING_FIELD = re.compile(rb'name="p" value="([^"]+)"')


class BenchError(Exception):
    """The flow being measured did not go as expected, so its figures would be wrong."""


def expect(response: Response, status: int, location: str | None = None) -> Response:
    if response.status_code != status or (
        location is not None and response.get("Location") != location
    ):
        raise BenchError(
            f"{response.wsgi_request.method} {response.wsgi_request.get_full_path()}: "
            f"{response.status_code} {response.get('Location', '')}, expected {status} "
            f"{location or ''}"
        )
    return response


def log_in(client: Client, username: str) -> Response:
    return client.post(LOGIN, {"username": username, "password": PASSWORD, "client_code": ""})


def seconds(call: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def login_vs_argon2_verify_ratio() -> Result:
    """A login should cost little more than the one password verification it needs."""
    account = AccountFactory.create()
    logins: list[float] = []
    verifications: list[float] = []
    # Interleaved, so that a slow spell of the machine weighs on both alike.
    for round_no in range(WARMUP + REPETITIONS):
        login_time, response = seconds(functools.partial(log_in, Client(), account.username))
        expect(response, 302)
        verify_time, ok = seconds(lambda: check_password(PASSWORD, account.password))
        if not ok:
            raise BenchError("the account's password did not verify")
        if round_no >= WARMUP:
            logins.append(login_time)
            verifications.append(verify_time)
    login_median = statistics.median(logins)
    verify_median = statistics.median(verifications)
    progress(f"  login median {login_median * 1000:.1f} ms")
    progress(f"  Argon2 verify median {verify_median * 1000:.1f} ms")
    return "login_vs_argon2_verify_ratio", login_median / verify_median, 1.3


@functools.cache
def link_flow_work() -> PasswordWork:
    """The password work of a whole link, from a signed-on browser to the done page."""
    account = AccountFactory.create()
    filer = FilerAccountFactory.create()
    client = Client()
    expect(log_in(client, account.username), 302)
    with counting_password_work() as work:
        expect(client.get(LINK), 200)
        credentials = {"login": filer.login, "password": LEGACY_PASSWORD}
        expect(client.post(LINK, credentials), 302, CONFIRM)
        page = expect(client.get(CONFIRM), 200)
        match = PENDING_FIELD.search(page.content)
        if match is None:
            raise BenchError("the confirmation page carries no pending link")
        expect(client.post(CONFIRM, {"p": match.group(1).decode()}), 302, DONE)
    return work


def link_flow_password_verifications() -> Result:
    """One verification, of the CM/ECF password; the sign-on is already proven."""
    return "link_flow_password_verifications", link_flow_work().verifications, 1


def link_flow_password_hashes() -> Result:
    """Retiring the CM/ECF password stores an unusable hash, which costs no hashing."""
    return "link_flow_password_hashes", link_flow_work().hashes, 0


# --- Docket report ----------------------------------------------------------------------------

DOCKET = "/cit/cgi-bin/DktRpt.pl?1-L_1_0-1"
BIG_DOCKET = 20_000
SMALL_DOCKET = 3
DOCKET_RUNS = 5
# One join of the entries and their main documents: the least any docket report must read.
RAW_DOCKET_SQL = (
    "SELECT e.number, e.seq, e.date_filed, e.entered_at, e.text, d.doc_id "
    "FROM cases_docketentry e LEFT JOIN cases_document d "
    "ON d.entry_id = e.id AND d.attachment_number = 0 "
    "WHERE e.case_id = %s ORDER BY e.date_filed, e.seq"
)


def docket_case(entries: int) -> Case:
    """A case with two parties, their attorneys, and `entries` entries, each with its
    main document (rows only: the report never opens the PDFs)."""
    court = CourtFactory()
    case = CaseFactory(court=court, title=f"Bench Importer {entries}, Inc. v. United States")
    for position, role in enumerate([Party.Role.PLAINTIFF, Party.Role.DEFENDANT]):
        party = PartyFactory(case=case, role=role, position=position)
        AppearanceFactory(party=party, filer=FilerAccountFactory(court=court))
    start = timezone.now() - timedelta(days=entries // 8 + 1)
    DocketEntry.objects.bulk_create(
        (
            DocketEntry(
                case=case,
                number=n,
                seq=n,
                date_filed=timezone.localdate(start + timedelta(hours=3 * n)),
                entered_at=start + timedelta(hours=3 * n),
                text=f"MOTION for Extension of Time to File Response/Reply, no. {n}. Filed by "
                "Jane Q. Lawyer of Lawyer & Co. on behalf of Bench Importer, Inc. (Lawyer, Jane)",
            )
            for n in range(1, entries + 1)
        ),
        batch_size=2000,
    )
    ids = DocketEntry.objects.filter(case=case).order_by("seq").values_list("pk", flat=True)
    blob = "0" * 64
    Document.objects.bulk_create(
        (
            Document(
                entry_id=pk,
                doc_id=f"0140{case.pk % 100:02d}{n:06d}",  # 12 characters at any case id
                sha256=blob,
                storage_key=blob,
                pages=3,
                size_bytes=30_000,
                original_filename="motion.pdf",
            )
            for n, pk in enumerate(ids)
        ),
        batch_size=2000,
    )
    return case


@functools.cache
def docket_setup() -> tuple[Client, Case, Case]:
    progress(f"  building a docket of {BIG_DOCKET} entries")
    big, small = docket_case(BIG_DOCKET), docket_case(SMALL_DOCKET)
    client = Client()
    expect(log_in(client, AccountFactory.create().username), 302)
    return client, big, small


def post_docket(client: Client, case: Case) -> Response:
    response = expect(
        client.post(
            DOCKET,
            {
                "all_case_ids": case.pk,
                "sort1": "oldest date first",
                "date_range_type": "Filed",
                "date_from": "1/1/1960",
                "output_format": "html",
                "case_num": " ",
                "list_of_parties_and_counsel": "on",
                "terminated_parties": "on",
                "pdf_header": "1",
            },
        ),
        200,
    )
    if b"DOCKET FOR CASE #: " + case.number.encode() not in response.content:
        raise BenchError(f"the docket report of {case.number} did not come back")
    return response


def docket_queries(client: Client, case: Case) -> int:
    with CaptureQueriesContext(connection) as queries:
        post_docket(client, case)
    return len(queries)


def docket_report_queries_20000_entries() -> Result:
    """A docket report reads as many queries for 20,000 entries as for 3."""
    client, big, small = docket_setup()
    return (
        "docket_report_queries_20000_entries",
        docket_queries(client, big),
        docket_queries(client, small),
    )


def raw_docket_rows(case: Case) -> int:
    with connection.cursor() as cursor:
        cursor.execute(RAW_DOCKET_SQL, [case.pk])
        return len(cursor.fetchall())


def docket_report_vs_raw_sql_ratio() -> Result:
    """The whole docket report request, against one raw query of the same rows."""
    client, big, _small = docket_setup()
    reports: list[float] = []
    raw: list[float] = []
    for round_no in range(1 + DOCKET_RUNS):  # the first round warms up
        report_time, _ = seconds(functools.partial(post_docket, client, big))
        raw_time, rows = seconds(functools.partial(raw_docket_rows, big))
        if rows != BIG_DOCKET:
            raise BenchError(f"the raw query found {rows} entries, not {BIG_DOCKET}")
        if round_no:
            reports.append(report_time)
            raw.append(raw_time)
    report_median, raw_median = statistics.median(reports), statistics.median(raw)
    progress(f"  docket report median {report_median * 1000:.1f} ms")
    progress(f"  raw SQL median {raw_median * 1000:.1f} ms")
    return "docket_report_vs_raw_sql_ratio", report_median / raw_median, 3


# --- A confidential document in a crowded case --------------------------------------------

PROTECTIVE_ORDER_ADMISSIONS = 200


@functools.cache
def confidential_setup() -> tuple[Client, str, str]:
    """The 20,000-entry docket with 200 counsel admitted under its protective order; the
    reader is one of them. Returns the client and the doc1 addresses (Download
    Confirmation) of a confidential document and of a public one in that case."""
    _client, big, _small = docket_setup()
    progress(f"  admitting {PROTECTIVE_ORDER_ADMISSIONS} counsel under the protective order")
    reader = AccountFactory.create()
    filers = FilerAccount.objects.bulk_create(
        FilerAccount(
            court=big.court,
            login=f"bench{n}",
            first_name="Counsel",
            last_name=f"No{n}",
            password="!",
            account=reader if n == 0 else None,
        )
        for n in range(PROTECTIVE_ORDER_ADMISSIONS)
    )
    party = big.parties.first()
    Appearance.objects.bulk_create(Appearance(party=party, filer=filer) for filer in filers)
    ProtectiveOrderAdmission.objects.bulk_create(
        ProtectiveOrderAdmission(case=big, filer=filer, admitted_by=reader) for filer in filers
    )
    documents = list(Document.objects.filter(entry__case=big).order_by("entry__seq")[9999:10001])
    Document.objects.filter(pk=documents[0].pk).update(access_level="confidential")
    client = Client()
    response = expect(log_in(client, reader.username), 302)
    if "/login/continue/" in response["Location"]:
        # A filer's login asks for the redaction agreement and offers MFA enrollment.
        step = "/csologin/login/continue/?court=cit"
        expect(client.post(step, {"redaction": "on", "mfa": "skip"}), 302)

    def skip(doc_id: str) -> str:
        return f"/{big.court_id}/doc1/{doc_id[:3]}1{doc_id[4:]}"

    return client, skip(documents[0].doc_id), skip(documents[1].doc_id)


def open_document(client: Client, url: str) -> int:
    response = expect(client.get(url), 200)
    if b"Download Confirmation" not in response.content:
        raise BenchError(f"{url} did not open")
    return 1


def confidential_vs_public_document_ratio() -> Result:
    """Opening a confidential document (the access policy's questions: staff, counsel of
    record, admitted) in a case of 20,000 entries and 200 admissions, against a public
    document of the same case."""
    client, confidential, public = confidential_setup()
    secret: list[float] = []
    open_: list[float] = []
    for round_no in range(WARMUP + REPETITIONS):
        secret_time, _ = seconds(functools.partial(open_document, client, confidential))
        public_time, _ = seconds(functools.partial(open_document, client, public))
        if round_no >= WARMUP:
            secret.append(secret_time)
            open_.append(public_time)
    progress(f"  confidential document median {statistics.median(secret) * 1000:.1f} ms")
    progress(f"  public document median {statistics.median(open_) * 1000:.1f} ms")
    return (
        "confidential_vs_public_document_ratio",
        statistics.median(secret) / statistics.median(open_),
        1.5,
    )


def confidential_document_queries_20000_entries_200_admissions() -> Result:
    """Queries to open the confidential document there: a constant, the test's figure."""
    client, confidential, _public = confidential_setup()
    with CaptureQueriesContext(connection) as queries:
        open_document(client, confidential)
    return "confidential_document_queries_20000_entries_200_admissions", len(queries), 10


BENCHMARKS: list[Callable[[], Result | None]] = [
    login_vs_argon2_verify_ratio,
    link_flow_password_verifications,
    link_flow_password_hashes,
    docket_report_queries_20000_entries,
    docket_report_vs_raw_sql_ratio,
    confidential_vs_public_document_ratio,
    confidential_document_queries_20000_entries_200_admissions,
    filing_10mb_pdf_vs_hash_and_store_ratio,
    filing_upload_10mb_pdf_vs_hash_and_store_ratio,
    upload_50mb_peak_rss_growth_vs_file_size,
    *SCALE_BENCHMARKS,
    fuzz_server_errors,
]


def setup_data() -> None:
    CourtFactory()
