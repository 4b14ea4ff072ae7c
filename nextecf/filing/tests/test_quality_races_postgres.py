"""Two clerks acting on one filing at once, against PostgreSQL: one strikes while the other
accepts. The filing's row lock lets one win; the other is told, and nothing is half done.

Run with: DATABASE_URL=postgres://postgres@127.0.0.1:5432/<name> pytest -m postgres \
          nextecf/filing/tests/test_quality_races_postgres.py
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from conftest import login
from nextecf.cases.factories import AppearanceFactory, CaseFactory, EventTypeFactory, PartyFactory
from nextecf.cases.models import DocketEntry, DocketEntryRevision
from nextecf.courts.models import FilerAccount
from nextecf.filing.factories import filed_entry
from nextecf.filing.models import Filing, QcStatus
from nextecf.outbox.models import OutboundEmail

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 4
POSTS = [{"action": "strike", "strike-reason": "Filed in the wrong case."}, {"action": "accept"}]


def test_two_clerks_strike_and_accept_one_filing_and_one_wins(court, staff_people):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    filer = FilerAccount.objects.get(court=court, account=staff_people.filer)
    motion = EventTypeFactory(court=court, code="motion", name="Motion", docket_text="Motion")
    clients = []
    for clerk in (staff_people.qc_clerk, staff_people.administrator):
        client = Client()
        assert login(client, clerk.username, court=court.pk).status_code == 302
        clients.append(client)
    for _ in range(ROUNDS):
        case = CaseFactory(court=court)
        AppearanceFactory(party=PartyFactory(case=case), filer=filer)
        filing = filed_entry(case=case, filer=filer, event=motion)
        url = f"/cit/staff/qc/{filing.pk}/"
        barrier = threading.Barrier(2, timeout=30)

        def act(n: int, url: str = url, barrier: threading.Barrier = barrier) -> int:
            try:
                barrier.wait()
                return int(clients[n].post(url, POSTS[n]).status_code)
            finally:
                connection.close()

        with ThreadPoolExecutor(2) as pool:
            statuses = sorted(pool.map(act, [0, 1]))
        assert statuses == [302, 409], statuses  # one outcome, the other told; no 500
        filing.refresh_from_db()
        entry = DocketEntry.objects.get(pk=filing.entry_id)
        notices = DocketEntry.objects.filter(case=case, event__code="docket-correction")
        if filing.qc_status == QcStatus.STRICKEN:
            assert entry.stricken_at is not None and notices.count() == 1
            assert DocketEntryRevision.objects.filter(entry=entry).count() == 1
            assert OutboundEmail.objects.filter(kind="nef", to=filer.email).exists()
        else:
            assert filing.qc_status == QcStatus.ACCEPTED
            assert entry.stricken_at is None and not notices.exists()
            assert not DocketEntryRevision.objects.filter(entry=entry).exists()
        OutboundEmail.objects.all().delete()
    assert Filing.objects.filter(qc_status=QcStatus.PENDING).count() == 0
