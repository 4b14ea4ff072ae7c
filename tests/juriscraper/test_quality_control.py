"""What quality control leaves on a docket, read by PACER software: juriscraper's
DocketReport and PacerRssFeed read a stricken entry and a corrected entry (and the notices
of docket correction) without error, and the PCL API still finds the case."""

from __future__ import annotations

import asyncio
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from nextecf.accounts.factories import AccountFactory
from nextecf.api.tests.conftest import Api, api_token
from nextecf.cases.models import DocketEntry
from nextecf.courts.factories import staff_account
from nextecf.courts.models import FilerAccount, StaffRole
from nextecf.filing.factories import filed_entry
from nextecf.filing.quality import filing_correct, filing_strike
from nextecf.lib.actor import Actor
from tests.juriscraper.conftest import ECF


@pytest.fixture
def corrected_and_stricken(court, events, simple_case):
    """Two motions by Jane Lawyer in the simple case: number 4 stricken, number 5 corrected."""
    lawyer = FilerAccount.objects.get(court=court, login="jlawyer")
    lawyer.account = AccountFactory(username="jlawyer1")
    lawyer.save()
    clerk = staff_account(court, StaffRole.QC_CLERK, username="qcjuris")
    now = timezone.now()
    first = filed_entry(
        case=simple_case,
        filer=lawyer,
        event=events["motion"],
        text="Motion to dismiss. (Lawyer, Jane)",
        when=now - timezone.timedelta(minutes=30),
    )
    second = filed_entry(
        case=simple_case,
        filer=lawyer,
        event=events["motion"],
        text="Motion for extention of time. (Lawyer, Jane)",
        when=now - timezone.timedelta(minutes=20),
    )
    actor = Actor(ip="192.0.2.7")
    filing_strike(
        actor=actor, clerk=clerk, court=court, filing_id=first.pk, reason="Filed in error."
    )
    filing_correct(
        actor=actor,
        clerk=clerk,
        court=court,
        filing_id=second.pk,
        event=events["motion"],
        text="Motion for extension of time. (Lawyer, Jane)",
        filer=lawyer,
    )
    return (
        DocketEntry.objects.get(pk=first.entry_id),
        DocketEntry.objects.get(pk=second.entry_id),
    )


def test_the_docket_report_shows_both_and_juriscraper_reads_them(
    pacer, simple_case, corrected_and_stricken
):
    from juriscraper.pacer import DocketReport

    stricken, corrected = corrected_and_stricken

    async def fetch(session):
        report = DocketReport("cit", pacer_session=session)
        await report.query(str(simple_case.pk))
        return report.data

    entries = pacer.run(fetch)["docket_entries"]
    by_number = {e["document_number"]: e for e in entries if e["document_number"]}
    struck = by_number[str(stricken.number)]
    assert struck["description"].startswith("***STRICKEN on ")
    assert "Filed in error.*** Motion to dismiss." in struck["description"]
    assert not struck.get("pacer_doc_id")  # its document is not linked
    # (with "(Entered: ...)" when the entry was entered on a later day than filed)
    assert by_number[str(corrected.number)]["description"].startswith(
        "Motion for extension of time. (Lawyer, Jane)"
    )
    assert by_number["2"]["pacer_doc_id"]  # other entries keep their links
    notices = [
        re.sub(r"\s*\(Entered: [\d/]+\)$", "", e["description"])
        for e in entries
        if "NOTICE OF DOCKET CORRECTION" in e["description"]
    ]
    assert notices == [
        "NOTICE OF DOCKET CORRECTION re: 4 Motion: STRICKEN. Reason: Filed in error.",
        "NOTICE OF DOCKET CORRECTION re: 5 Motion: docket text corrected.",
    ]


def test_the_rss_feed_marks_the_stricken_entry(live_server, uscourts, corrected_and_stricken):
    from juriscraper.pacer import PacerRssFeed

    from tests.pacer_transport import LocalCourtTransport

    stricken, corrected = corrected_and_stricken
    cache.clear()
    transport = LocalCourtTransport(live_server.url, allowed_hosts=("ecf.cit.uscourts.gov",))

    async def fetch():
        async with PacerRssFeed("cit", transport=transport) as feed:
            await feed.query()
        feed.parse()
        return feed.data

    items = asyncio.run(fetch())
    assert transport.seen == [("GET", f"{ECF}/cgi-bin/rss_outside.pl")]
    entries = [item["docket_entries"][0] for item in items]
    by_seq = {e["pacer_seq_no"]: e for e in entries if e["pacer_seq_no"]}
    shorts = [e["short_description"] for e in entries]
    assert "Motion (STRICKEN)" in shorts
    # juriscraper joins a case's entries of the same minute: "... AND ...".
    assert " AND ".join(shorts).count("Notice of Docket Correction") == 2
    # The stricken entry links no document; the corrected one keeps its link.
    assert str(stricken.seq) not in by_seq
    assert by_seq[str(corrected.seq)]["document_number"] == str(corrected.number)


def test_the_pcl_api_still_finds_the_case(court, simple_case, corrected_and_stricken):
    """PCL indexes cases and parties, not docket entries: a strike or a correction leaves
    the case as PCL reports it."""
    api = Api(api_token(AccountFactory(username="pclreader1")))
    response = api.cases({"caseNumberFull": simple_case.number})
    assert response.status_code == 200
    found = response.json()["content"]
    assert [c["caseTitle"] for c in found] == [simple_case.title]
