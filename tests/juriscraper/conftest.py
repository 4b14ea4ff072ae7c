"""juriscraper 4.0.1, unmodified, against a live server: the PACER host names routed to it
by tests.pacer_transport (juriscraper-client.md §2.2), the cases it reads built here, and
what each of its parsers should return worked out from the database (expected.py)."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.utils import timezone

from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.accounts.models import Account
from nextecf.cases.factories import (
    AppearanceFactory,
    CaseFactory,
    DocketEntryFactory,
    DocumentFactory,
    EventTypeFactory,
    JudgeFactory,
    PartyFactory,
)
from nextecf.cases.models import Case, DocketEntry, Document, EventType, Party
from nextecf.courts.factories import FilerAccountFactory
from nextecf.courts.middleware import court_cache_clear
from tests.pacer_transport import LocalCourtTransport

# juriscraper logs to /var/log/juriscraper unless told otherwise; set before it is imported.
os.environ.setdefault(
    "JURISCRAPER_LOG", str(Path(tempfile.gettempdir()) / "nextecf-juriscraper.log")
)

COURT = "cit"
ECF = "https://ecf.cit.uscourts.gov"
USERNAME = "jscraper01"
T = TypeVar("T")


@pytest.fixture
def uscourts(settings) -> Iterator[None]:
    """Serve PACER's host names, as production does with ECF_DOMAIN=uscourts.gov. The
    settings fixture patches django.conf.settings, which the live server thread shares."""
    settings.ECF_DOMAIN = "uscourts.gov"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".uscourts.gov"]
    settings.SIGNON_COOKIE_DOMAIN = ".uscourts.gov"
    settings.SITE_URL = ECF
    court_cache_clear()
    yield
    court_cache_clear()


@pytest.fixture
def reader(transactional_db, court) -> Account:
    """The PACER account juriscraper logs in with: an individual account, no filing rights
    (so no one-time passcode, which juriscraper cannot send)."""
    return AccountFactory(username=USERNAME, first_name="Jay", last_name="Scraper")


@dataclass
class Pacer:
    """Runs juriscraper against the live server: `pacer.run(fn)` logs a PacerSession in
    and awaits fn(session); `transport.seen` lists every request it made."""

    transport: LocalCourtTransport

    def run(self, fn: Callable[[Any], Awaitable[T]], *, login: bool = True) -> T:
        """Also checks that juriscraper logged in once (or, without `login`, never): had any
        page we served not counted as signed on (no /cgi-bin/login.pl?logout link), it
        would have logged in again."""
        from juriscraper.pacer import PacerSession

        logins_before = self.logins()

        async def go() -> T:
            async with PacerSession(
                username=USERNAME, password=PASSWORD, transport=self.transport
            ) as session:
                if login:
                    await session.login()
                return await fn(session)

        result = asyncio.run(go())
        assert self.logins() - logins_before == (1 if login else 0), self.urls()
        return result

    def urls(self) -> list[str]:
        return [url for _, url in self.transport.seen]

    def logins(self) -> int:
        return sum(url.endswith("/services/cso-auth") for url in self.urls())


@pytest.fixture
def pacer(live_server, uscourts, reader) -> Pacer:
    return Pacer(LocalCourtTransport(live_server.url))


# --- Cases -----------------------------------------------------------------------------------

ZONE = timezone.get_fixed_timezone(-300)


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)


@pytest.fixture
def events(court) -> dict[str, EventType]:
    def event(code: str, name: str, **fields: Any) -> EventType:
        return EventTypeFactory(court=court, code=code, name=name, docket_text=name, **fields)

    return {
        "summons": event("summons", "Summons"),
        "complaint": event("complaint", "Complaint"),
        "appearance": event("appearance", "Form 11 Notice of Appearance"),
        "motion": event("motion", "Motion"),
        "order": event("order", "Order", category=EventType.Category.COURT),
        "opinion": event(
            "opinion", "Slip Opinion", category=EventType.Category.COURT, is_opinion=True
        ),
    }


def attorney(court, login: str, first: str, last: str, **fields: Any):
    defaults = {
        "firm": f"{last} & Partners LLP",
        "address": f"{len(login)} Broad Street\nSuite {len(last)}00\nNew York, NY 10004",
        "phone": "(212) 555-0100",
        "fax": "(212) 555-0199",
        "email": f"{login}@{last.lower()}.example",
    }
    return FilerAccountFactory(
        court=court, login=login, first_name=first, last_name=last, **{**defaults, **fields}
    )


@pytest.fixture
def simple_case(court, events) -> Case:
    """One judge, a plaintiff and the United States, each with counsel, and four entries:
    summons and complaint (documents), a minute entry, an order."""
    judge = JudgeFactory(court=court, name="Gary S. Katzmann", initials="GSK")
    case = CaseFactory(
        court=court,
        title="Acme Imports, LLC v. United States",
        judge=judge,
        date_filed=date(2026, 1, 16),
        product_description="Steel wire hangers",
        export_country="China",
    )
    plaintiff = PartyFactory(case=case, name="Acme Imports, LLC", role=Party.Role.PLAINTIFF)
    defendant = PartyFactory(case=case, name="United States", role=Party.Role.DEFENDANT, position=1)
    lawyer = attorney(court, "jlawyer", "Jane", "Lawyer", middle_name="Q.")
    gov = attorney(
        court,
        "jgov",
        "John",
        "Gov",
        firm="U.S. Department of Justice",
        address="Civil Division\nP.O. Box 480\nWashington, DC 20044",
        fax="",
    )
    AppearanceFactory(party=plaintiff, filer=lawyer, lead=True)
    AppearanceFactory(party=defendant, filer=gov, lead=False)
    summons = DocketEntryFactory(
        case=case,
        number=1,
        seq=1,
        event=events["summons"],
        date_filed=date(2026, 1, 16),
        entered_at=at(date(2026, 1, 16)),
        text="Summons. Filed by Jane Q. Lawyer of Lawyer & Partners LLP on behalf of Acme "
        "Imports, LLC. (Lawyer, Jane)",
        filer=lawyer,
    )
    DocumentFactory(entry=summons, page_count=1)
    complaint = DocketEntryFactory(
        case=case,
        number=2,
        seq=2,
        event=events["complaint"],
        date_filed=date(2026, 1, 20),
        entered_at=at(date(2026, 1, 21), hour=9),
        text="Complaint <against> the United States & its agencies. (Lawyer, Jane)",
        filer=lawyer,
    )
    DocumentFactory(entry=complaint, page_count=3)
    DocketEntryFactory(
        case=case,
        number=None,
        seq=3,
        date_filed=date(2026, 2, 2),
        entered_at=at(date(2026, 2, 2), hour=16),
        text="Minute entry: scheduling conference held.",
    )
    order = DocketEntryFactory(
        case=case,
        number=3,
        seq=4,
        event=events["order"],
        date_filed=date(2026, 2, 3),
        entered_at=at(date(2026, 2, 3)),
        text="Order setting the briefing schedule. Signed by Judge Gary S. Katzmann.",
    )
    DocumentFactory(entry=order, page_count=2)
    return case


@pytest.fixture
def panel_case(court, events) -> Case:
    """A terminated case before a three-judge panel, with 12 parties (one terminated, one
    with extra information), 16 attorneys (one terminated, one on several parties, one
    without a firm), filings with attachments and a written opinion."""
    panel = [
        JudgeFactory(court=court, name="Gregory W. Carman", initials="GWC"),
        JudgeFactory(court=court, name="Timothy C. Stanceu", initials="TCS"),
        JudgeFactory(court=court, name="Leo M. Gordon", initials="LMG"),
    ]
    case = CaseFactory(
        court=court,
        title="New Hampshire Ball Bearing, Inc. v. United States",
        judge=panel[0],
        date_filed=date(2025, 11, 13),
        date_terminated=date(2026, 3, 31),
        jurisdiction=Case.Jurisdiction.C,
        category="Antidumping",
        agency="U.S. Department of Commerce\nInternational Trade Administration",
    )
    case.panel.set(panel)
    roles = [
        ("New Hampshire Ball Bearing, Inc.", Party.Role.PLAINTIFF, "", None),
        ("Minebea Co., Ltd.", Party.Role.PLAINTIFF, "", None),
        ("NMB (USA) Inc.", Party.Role.CONSOLIDATED_PLAINTIFF, "", None),
        ("United States", Party.Role.DEFENDANT, "", None),
        ("United States Customs and Border Protection", Party.Role.DEFENDANT, "", None),
        ("United States International Trade Commission", Party.Role.DEFENDANT, "", None),
        ("The Timken Company", Party.Role.INTERVENOR_DEFENDANT, "", None),
        ("MPB Corporation", Party.Role.INTERVENOR_DEFENDANT, "", date(2026, 1, 15)),
        (
            "Schaeffler Group USA Inc.",
            Party.Role.INTERVENOR_PLAINTIFF,
            "formerly FAG Bearings",
            None,
        ),
        ("SKF USA Inc.", Party.Role.INTERVENOR_PLAINTIFF, "", None),
        ("American Bearing Manufacturers Association", Party.Role.AMICUS, "", None),
        ("JTEKT Corporation", Party.Role.CONSOLIDATED_PLAINTIFF, "", None),
    ]
    parties = [
        PartyFactory(
            case=case, name=name, role=role, extra_info=extra, terminated_on=ended, position=n
        )
        for n, (name, role, extra, ended) in enumerate(roles)
    ]
    people = [
        attorney(court, f"atty{n:02d}", first, last)
        for n, (first, last) in enumerate(
            [
                ("Frank", "Morgan"),
                ("Courtney", "McNamara"),
                ("David", "Silverbrand"),
                ("Michael", "Dierberg"),
                ("Patrick", "Gallagher"),
                ("James", "Lyons"),
                ("Neal", "Reynolds"),
                ("Geert", "Prest"),
                ("Amy", "Dwyer"),
                ("Terence", "Stewart"),
                ("Max", "Schutzman"),
                ("Herbert", "Ferguson"),
                ("Kevin", "Horgan"),
                ("Neil", "Ellis"),
                ("Jill", "Cramer"),
            ]
        )
    ]
    bare = FilerAccountFactory(
        court=court, login="bare01", first_name="Pat", last_name="Pro", email="", bar_status=""
    )
    plan = {
        0: [(0, True)],
        1: [(10, True), (11, False)],
        2: [(12, True)],
        3: [(1, True), (2, False)],
        4: [(1, True), (2, False), (3, False)],  # the same attorneys again: "See above"
        5: [(4, True), (5, False), (6, False)],
        6: [(7, True), (8, False), (9, False)],
        7: [(7, True), (9, False)],
        8: [(13, True)],
        9: [(14, True)],
        10: [],  # no counsel
        11: [(15, False)],
    }
    for party, appearances in plan.items():
        for who, lead in appearances:
            filer = bare if who == 15 else people[who]
            AppearanceFactory(party=parties[party], filer=filer, lead=lead)
    # A terminated attorney, not to be noticed.
    AppearanceFactory(
        party=parties[0],
        filer=people[13],
        lead=False,
        to_be_noticed=False,
        terminated_on=date(2026, 2, 1),
    )
    day = date(2025, 11, 13)
    entries = [
        ("summons", 1, "Summons. (Morgan, Frank)", 1, []),
        (
            "complaint",
            2,
            "Complaint. (Attachments: # 1 Exhibit A, # 2 Exhibit B) (Morgan, Frank)",
            12,
            [("Exhibit A", 4), ("Exhibit B", 30)],
        ),
        ("appearance", 3, "Notice of Appearance by Courtney McNamara. (McNamara, Courtney)", 1, []),
        (None, None, "Minute entry: status conference held before the panel.", 0, []),
        (
            "motion",
            4,
            "Motion for judgment on the agency record. (Attachments: # 1 Proposed "
            "Order) (Morgan, Frank)",
            45,
            [("Proposed Order", 1)],
        ),
        ("order", 5, "Order terminating MPB Corporation as a party.", 1, []),
        ("opinion", 6, "Slip Opinion 26-30: judgment for the United States.", 38, []),
    ]
    for seq, (event, number, text, pages, attachments) in enumerate(entries, start=1):
        entry = DocketEntryFactory(
            case=case,
            number=number,
            seq=seq * 3,  # CM/ECF's sequence numbers have gaps
            event=events[event] if event else None,
            date_filed=day + timedelta(days=seq * 11),
            entered_at=at(day + timedelta(days=seq * 11), hour=8 + seq),
            text=text,
        )
        if pages:
            DocumentFactory(entry=entry, page_count=pages)
        for n, (description, att_pages) in enumerate(attachments, start=1):
            DocumentFactory(
                entry=entry, attachment_number=n, description=description, page_count=att_pages
            )
    return case


@pytest.fixture
def long_case(court, events) -> Case:
    """A docket of 500 entries (every tenth a minute entry), each numbered one a document."""
    judge = JudgeFactory(court=court, name="Jennifer Choe-Groves", initials="JCG")
    case = CaseFactory(
        court=court,
        title="Busy Importer Corp. v. United States",
        judge=judge,
        date_filed=date(2024, 1, 2),
    )
    plaintiff = PartyFactory(case=case, name="Busy Importer Corp.", role=Party.Role.PLAINTIFF)
    AppearanceFactory(party=plaintiff, filer=attorney(court, "busy01", "Ann", "Busy"), lead=True)
    start = at(date(2024, 1, 2), hour=12)
    rows = []
    number = 0
    for seq in range(1, 501):
        minute = seq % 10 == 0
        if not minute:
            number += 1
        rows.append(
            DocketEntry(
                case=case,
                number=None if minute else number,
                seq=seq,
                event=None if minute else events["motion"],
                date_filed=timezone.localdate(start + timedelta(days=seq)),
                entered_at=start + timedelta(days=seq, minutes=seq),
                text=f"Minute entry {seq}."
                if minute
                else f"Motion no. {number} for an extension of time. (Busy, Ann)",
            )
        )
    DocketEntry.objects.bulk_create(rows)
    Document.objects.bulk_create(
        Document(
            entry=entry,
            doc_id=f"0140{case.pk % 100:02d}{entry.seq:06d}",
            sha256="0" * 64,
            storage_key="0" * 64,
            pages=2,
            size_bytes=2048,
            original_filename="motion.pdf",
        )
        for entry in DocketEntry.objects.filter(case=case, number__isnull=False)
    )
    return case
