"""FreeOpinionReport (WrtOpRpt.pl: the form token, then the POST, either sort) and
PacerRssFeed (rss_outside.pl: public, with its own httpx client), end to end."""

from __future__ import annotations

from datetime import date, timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from nextecf.billing.models import AccessCharge
from nextecf.cases.factories import (
    CaseFactory,
    DocketEntryFactory,
    DocumentFactory,
    JudgeFactory,
)
from nextecf.cases.models import DocketEntry
from tests.juriscraper import expected
from tests.juriscraper.conftest import ECF


@pytest.fixture
def opinions(court, events, panel_case, simple_case):
    """The panel case's opinion (no. 6), a second one in the simple case, one filed too
    late for the range and one in a sealed case."""
    second = DocketEntryFactory(
        case=simple_case,
        number=4,
        seq=9,
        event=events["opinion"],
        date_filed=date(2026, 2, 12),
        text="Slip Opinion 26-14: remand to Commerce. Signed by Judge Gary S. Katzmann.",
    )
    DocumentFactory(entry=second, page_count=20)
    DocumentFactory(entry=second, attachment_number=1, description="Appendix", page_count=3)
    late = DocketEntryFactory(
        case=simple_case, number=5, seq=10, event=events["opinion"], date_filed=date(2026, 6, 1)
    )
    DocumentFactory(entry=late)
    sealed = CaseFactory(court=court, is_sealed=True, judge=JudgeFactory(court=court))
    hidden = DocketEntryFactory(
        case=sealed, event=events["opinion"], date_filed=date(2026, 2, 12), text="Sealed."
    )
    DocumentFactory(entry=hidden)
    return [panel_case.entries.get(number=6), second]


def opinion_row(entry: DocketEntry) -> dict:
    case = entry.case
    main = entry.documents.get(attachment_number=0)
    return {
        "court_id": "cit",
        "pacer_case_id": str(case.pk),
        "pacer_seq_no": str(entry.seq),
        "docket_number": case.number,
        "case_name": case.title,
        "date_filed": entry.date_filed,
        "pacer_doc_id": expected.as_parsed(main.doc_id),
        "document_number": str(entry.number),
        "description": entry.text,
        "nature_of_suit": "",
        "cause": "",
        **expected.number_parts(case),
    }


@pytest.mark.parametrize("sort", ["date_filed", "case_number"])
def test_free_opinion_report(pacer, opinions, sort):
    from juriscraper.pacer import FreeOpinionReport

    async def fetch(session):
        report = FreeOpinionReport("cit", pacer_session=session)
        await report.query(date(2026, 1, 1), date(2026, 5, 31), sort=sort, day_span=365)
        return report.data, report.reported_opinion_count

    rows, count = pacer.run(fetch)
    if sort == "date_filed":
        want = sorted(opinions, key=lambda e: (e.date_filed, e.case.number))
    else:
        want = sorted(opinions, key=lambda e: (e.case.number, e.date_filed))
    assert rows == [opinion_row(entry) for entry in want]
    assert count == 2
    # The form (its token), then the report, as CM/ECF's.
    assert pacer.urls()[1:] == [
        f"{ECF}/cgi-bin/WrtOpRpt.pl",
        f"{ECF}/cgi-bin/WrtOpRpt.pl?1-L_1_0-1",
    ]
    assert not AccessCharge.objects.exists()  # free


def test_an_empty_range(pacer, opinions):
    from juriscraper.pacer import FreeOpinionReport

    async def fetch(session):
        report = FreeOpinionReport("cit", pacer_session=session)
        await report.query(date(2020, 1, 1), date(2020, 1, 5))
        return report.data, report.reported_opinion_count

    assert pacer.run(fetch) == ([], 0)


@pytest.fixture
def recent(court, events, simple_case, panel_case):
    """Entries entered in the last day: three in the simple case (one a minute entry, one
    in a case since sealed is left out), and an old one that is not."""
    now = timezone.now()
    made = []
    for minutes, number, event, text in [
        (50, 5, "motion", "Motion to extend time. (Lawyer, Jane)"),
        (30, None, None, "Minute entry: telephone conference held."),
        (10, 6, "order", "Order granting the motion to extend time."),
    ]:
        entry = DocketEntryFactory(
            case=simple_case,
            number=number,
            seq=20 + minutes,
            event=events[event] if event else None,
            date_filed=timezone.localdate(now),
            entered_at=now - timedelta(minutes=minutes),
            text=text,
        )
        if number:
            DocumentFactory(entry=entry)
        made.append(entry)
    panel_entry = DocketEntryFactory(
        case=panel_case,
        number=7,
        seq=99,
        event=events["order"],
        date_filed=timezone.localdate(now),
        entered_at=now - timedelta(minutes=20),
        text="Order & judgment <final>.",
    )
    DocumentFactory(entry=panel_entry)
    made.append(panel_entry)
    sealed = CaseFactory(court=court, is_sealed=True)
    DocketEntryFactory(case=sealed, entered_at=now - timedelta(minutes=5))
    DocketEntryFactory(case=simple_case, number=None, seq=1000, entered_at=now - timedelta(days=2))
    return sorted(made, key=lambda e: e.entered_at, reverse=True)


def rss_item(entry: DocketEntry) -> dict:
    case = entry.case
    main = expected.main_document(entry)
    return {
        "court_id": "cit",
        "pacer_case_id": str(case.pk),
        "docket_number": case.number,
        "case_name": case.title,
        "date_filed": None,
        "date_terminated": None,
        "date_converted": None,
        "date_discharged": None,
        "assigned_to_str": "",
        "referred_to_str": "",
        "cause": "",
        "nature_of_suit": "",
        "jury_demand": "",
        "demand": "",
        "jurisdiction": "",
        "trustee_str": "",
        "type": "",
        "office": "",
        "chapter": "",
        # The title carries the judges' initials as CM/ECF's do: assigned, then referred.
        **expected.number_parts(case),
        "parties": None,
        "docket_entries": [
            {
                "date_filed": entry.entered_at.replace(microsecond=0),
                "description": "",
                "document_number": str(entry.number) if main else None,
                "short_description": expected.event_name(entry),
                "pacer_doc_id": expected.as_parsed(main.doc_id) if main else "",
                "pacer_seq_no": str(entry.seq) if main else None,
            }
        ],
    }


def test_the_rss_feed_is_public_and_shows_no_sealed_case(live_server, uscourts, recent):
    import asyncio

    from django.core.cache import cache

    cache.clear()  # the feed is cached for a minute

    from juriscraper.pacer import PacerRssFeed

    from tests.pacer_transport import LocalCourtTransport

    transport = LocalCourtTransport(live_server.url, allowed_hosts=("ecf.cit.uscourts.gov",))

    async def fetch():
        async with PacerRssFeed("cit", transport=transport) as feed:
            await feed.query()
        feed.parse()
        return feed.data, feed.response

    data, response = asyncio.run(fetch())
    assert response.headers["content-type"].startswith("application/rss+xml")
    assert data == [rss_item(entry) for entry in recent]
    assert transport.seen == [("GET", f"{ECF}/cgi-bin/rss_outside.pl")]
    assert b"<rss" in response.content and b'version="2.0"' in response.content
    # The guid is a permalink to the docket report, as in CM/ECF's feeds.
    items = ElementTree.fromstring(response.content).findall("channel/item")  # noqa: S314
    guids = [(item.findtext("guid"), item.find("guid").get("isPermaLink")) for item in items]
    links = [item.findtext("link") for item in items]
    assert guids == [(f"{link}#{e.seq}", "true") for link, e in zip(links, recent, strict=True)]
    assert not AccessCharge.objects.exists()
