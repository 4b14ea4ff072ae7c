"""Concurrent filings against PostgreSQL, through a live server and real HTTP.

Each filer is a browser of its own in a thread; all prepare their filing, then wait on a
barrier so that the decisive Submit requests reach the server together. Case numbers come
from CaseSequence under a row lock, docket numbers from the case row's lock, and a draft
is filed at most once: no gaps, no duplicates, no double charge, no server error.

Run with: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
          TEST_DATABASE_NAME=test_nextecf_filing pytest -m postgres nextecf/filing
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from nextecf.accounts.factories import AccountFactory
from nextecf.billing.models import Payment, SandboxCharge
from nextecf.cases.catalogue import catalogue_install
from nextecf.cases.models import Case, CaseSequence, DocketEntry, EventType
from nextecf.courts.factories import FilerAccountFactory
from nextecf.filing.models import Filing
from nextecf.filing.tests.conftest import GOOD_CARD, pdf
from tests.live_browser import Browser as LiveBrowser
from tests.live_browser import Response

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TIMEOUT = 90
DRAFT = re.compile(r"/cit/civil/draft/([A-Za-z0-9_-]+)/")


class Browser(LiveBrowser):
    """A filer's browser session."""

    def start_summons(self, event: EventType, plaintiff: str) -> str:
        assert self.get(f"/cit/civil/open/?event={event.pk}").status == 200
        response = self.post(
            "/cit/civil/open/",
            {
                "event": event.pk,
                "plaintiffs": plaintiff,
                "defendant": "United States",
                "jurisdiction": "1581c",
                "constitutional_question": "N",
                "lead": "on",
                "to_be_noticed": "on",
            },
        )
        assert response.status == 302, response
        return DRAFT.search(response.location).group(1)

    def start_in_case(self, event: EventType, case: Case, party_pk: int) -> str:
        assert self.get(f"/cit/civil/file/?event={event.pk}").status == 200
        response = self.post("/cit/civil/file/", {"event": event.pk, "case_number": case.number})
        assert response.status == 302, response
        draft = DRAFT.search(response.location).group(1)
        assert self.get(f"/cit/civil/draft/{draft}/parties/").status == 200
        response = self.post(
            f"/cit/civil/draft/{draft}/parties/", {"parties": [party_pk], "to_be_noticed": "on"}
        )
        assert response.status == 302, response
        return draft

    def stage(self, draft: str, text: str) -> None:
        assert self.get(f"/cit/civil/draft/{draft}/documents/").status == 200
        document = SimpleUploadedFile("doc.pdf", pdf(text), content_type="application/pdf")
        response = self.post(
            f"/cit/civil/draft/{draft}/documents/", {"main_document": document}, multipart=True
        )
        assert response.status == 302, response
        assert self.get(f"/cit/civil/draft/{draft}/submit/").status == 200


Job = Callable[[threading.Barrier], Response]


def race(jobs: list[Job]) -> list[Response]:
    barrier = threading.Barrier(len(jobs), timeout=TIMEOUT)

    def run(job: Job) -> Response:
        try:
            return job(barrier)
        except BaseException:
            barrier.abort()
            raise

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = [pool.submit(run, job) for job in jobs]
        return [future.result(timeout=TIMEOUT * 3) for future in futures]


def filers(court, count: int) -> list[str]:
    names = []
    for n in range(count):
        account = AccountFactory(username=f"racefiler{n:03d}")
        FilerAccountFactory(court=court, login=f"race{n:03d}", account=account)
        names.append(account.username)
    return names


def submit_job(base_url: str, username: str, prepare: Callable[[Browser], str], card) -> Job:
    def job(barrier: threading.Barrier) -> Response:
        browser = Browser(base_url)
        browser.sign_in(username)
        draft = prepare(browser)
        connection = browser.connect()  # the handshake is not part of the race
        barrier.wait()
        data = {**card, "fee_cents": "35000"} if card else {}
        return browser.post(f"/cit/civil/draft/{draft}/submit/", data, connection=connection)

    return job


def assert_receipts(responses: list[Response]) -> None:
    assert all(r.status == 302 and "/cit/civil/receipt/" in r.location for r in responses), [
        str(r) for r in responses
    ]


def test_cases_opened_together_get_consecutive_numbers(live_server, court):
    catalogue_install(court=court)
    summons = EventType.objects.get(court=court, code="summons")
    count = 12

    def prepare_for(n: int) -> Callable[[Browser], str]:
        def prepare(browser: Browser) -> str:
            draft = browser.start_summons(summons, f"Importer {n} Corp.")
            browser.stage(draft, f"Summons {n}")
            return draft

        return prepare

    names = filers(court, count)
    responses = race(
        [
            submit_job(live_server.url, name, prepare_for(n), GOOD_CARD)
            for n, name in enumerate(names)
        ]
    )
    assert_receipts(responses)
    cases = list(Case.objects.order_by("sequence"))
    assert [c.sequence for c in cases] == list(range(1, count + 1))
    assert len({c.number for c in cases}) == count
    assert CaseSequence.objects.get(court=court).last == count
    assert all(c.entries.get().number == 1 for c in cases)
    assert Filing.objects.count() == Payment.objects.count() == count
    assert SandboxCharge.objects.filter(status="approved").count() == count
    # Each filer opened exactly one case, for the plaintiff they named.
    assert sorted(c.parties.get(role="Plaintiff").name for c in cases) == sorted(
        f"Importer {n} Corp." for n in range(count)
    )


def test_filings_into_one_case_together_get_consecutive_docket_numbers(live_server, court):
    from nextecf.cases.factories import CaseFactory, PartyFactory

    catalogue_install(court=court)
    motion = EventType.objects.get(court=court, code="motion")
    with transaction.atomic():  # the case number is taken under a row lock
        case = CaseFactory(court=court)
        plaintiff = PartyFactory(case=case, name="Plaintiff Co.")
    count = 10

    # The jobs run in threads of this process: they must not touch the database (each
    # thread would open a connection of its own), only the server.
    def prepare(browser: Browser) -> str:
        draft = browser.start_in_case(motion, case, plaintiff.pk)
        browser.stage(draft, f"Motion by {browser.cookies.get('csrftoken', '')[:6]}")
        return draft

    responses = race([submit_job(live_server.url, n, prepare, None) for n in filers(court, count)])
    assert_receipts(responses)
    entries = list(DocketEntry.objects.filter(case=case).order_by("seq"))
    assert [e.number for e in entries] == list(range(1, count + 1))
    assert [e.seq for e in entries] == list(range(1, count + 1))
    assert case.parties.get().appearances.count() == count


def test_one_draft_submitted_from_two_tabs_is_filed_and_charged_once(live_server, court):
    catalogue_install(court=court)
    summons = EventType.objects.get(court=court, code="summons")
    rounds = 5
    (username,) = filers(court, 1)
    browser = Browser(live_server.url)
    browser.sign_in(username)
    for n in range(rounds):
        draft = browser.start_summons(summons, f"Double {n} Corp.")
        browser.stage(draft, f"Summons {n}")

        def tab(barrier: threading.Barrier, draft: str = draft) -> Response:
            connection = browser.connect()
            barrier.wait()
            return browser.post(
                f"/cit/civil/draft/{draft}/submit/",
                {**GOOD_CARD, "fee_cents": "35000"},
                connection=connection,
            )

        responses = race([tab, tab, tab])
        assert_receipts(responses)
        assert {r.location for r in responses} == {f"/cit/civil/receipt/{draft}/"}
        assert Filing.objects.filter(draft_id=draft).count() == 1
        assert SandboxCharge.objects.filter(idempotency_key=draft).count() == 1
        assert Payment.objects.filter(idempotency_key=draft).count() == 1
    assert Case.objects.count() == rounds
    assert CaseSequence.objects.get(court=court).last == rounds
