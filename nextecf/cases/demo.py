"""Demo content for the U.S. Court of International Trade: its judges, its event catalogue,
attorneys, and two cases with dockets and documents, in the court's own style.

The content itself (names, docket texts, the papers' words) is data, in demo_data/*.toml;
this module reads it, prints the papers and loads them. Loading is idempotent: what
exists is left alone (staff or filers may have changed it), what is missing is created, and
a document whose stored PDF went missing is written again (the PDFs are generated
deterministically, so the bytes match the recorded SHA-256). The people, firms, cases and
citations are fictitious; the judges are the court's.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
import textwrap
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from nextecf.accounts.models import Account
from nextecf.cases.catalogue import catalogue_install
from nextecf.cases.models import (
    Appearance,
    Case,
    CaseFlag,
    CaseSequence,
    DocketEntry,
    Document,
    DocumentText,
    EventType,
    Judge,
    Party,
)
from nextecf.cases.selectors import full_case_number, panel_of
from nextecf.courts.models import Court, FilerAccount
from nextecf.lib.pdf import make_pdf, pdf_text
from nextecf.lib.storage import document_store

DATA = Path(__file__).with_name("demo_data")
LINE_WIDTH = 86
LINES_PER_PAGE = 46


@dataclass(frozen=True)
class Attorney:
    login: str
    first: str
    middle: str
    last: str
    email: str
    office: list[str]  # firm, then the address lines
    phone: str
    fax: str = ""
    bar_status: str = "ACTIVE"
    pacer: str = ""  # a demo PACER account this CM/ECF account is linked to

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first, self.middle, self.last) if p)

    @property
    def signature(self) -> str:
        return f"({self.last}, {self.first})"


@dataclass(frozen=True)
class Doc:
    description: str  # "Main Document" for the main one, else e.g. "Exhibit A"
    title: str  # the heading printed on the document
    body: list[str]  # paragraphs; "## " starts a heading
    filename: str = ""


@dataclass(frozen=True)
class Entry:
    day: date
    event: str | None  # event code; None for a clerk's notation
    text: str
    by: str | None = None  # attorney login; None for the court
    docs: list[Doc] = field(default_factory=list)
    # The newest entries are dated relative to the load ("hours_ago" instead of "day"), so
    # a fresh demo's rss_outside.pl has items; their texts say {filed} or {filed+N} (N days
    # later) for 10/29/2026 and {filed:long} / {filed+N:long} for October 29, 2026.
    hours_ago: int | None = None


@dataclass(frozen=True)
class PartySpec:
    name: str
    role: str
    attorneys: list[tuple[str, bool]]  # (login, lead)
    terminated_on: date | None = None


@dataclass(frozen=True)
class CaseSpec:
    number: str
    title: str
    jurisdiction: str
    category: str
    agency: str
    product: str
    export_country: str
    date_filed: date
    judge: str | None
    panel: list[str]
    constitutional: bool
    parties: list[PartySpec]
    entries: list[Entry]
    short_plaintiff: str
    # (name, from): from that day the caption names a defendant-intervenor.
    intervenor_caption: tuple[str, date] | None = None
    jury_demand: str = "No"
    flags: list[str] = field(default_factory=list)  # names from the court's case_flags

    @property
    def year(self) -> int:
        return 2000 + int(self.number[2:4])

    @property
    def sequence(self) -> int:
        return int(self.number[-5:])

    @property
    def court_no(self) -> str:
        return f"{self.number[2:4]}-{self.number[-5:]}"


@dataclass(frozen=True)
class Papers:
    """The words every printed paper carries (demo_data/court.toml's [papers])."""

    court: str
    submitted: str
    certificate_title: str
    certificate: str  # {date}: the day of filing


@dataclass(frozen=True)
class DemoCourt:
    judges: list[tuple[str, str, str]]  # (name, initials, title), as the court lists them
    # Events the catalogue does not have but CIT dockets show: (code, name, category, text).
    events: list[tuple[str, str, str, str]]
    attorneys: list[Attorney]
    record_only: Attorney  # John Doe's own account: of record, never linked by the loader
    papers: Papers
    cases: list[CaseSpec]
    case_flags: list[tuple[str, str]] = field(default_factory=list)  # (name, description)


# --- the data ----------------------------------------------------------------------------------


def _read(name: str) -> dict[str, Any]:
    return tomllib.loads((DATA / name).read_text(encoding="utf-8"))


def _attorney(data: dict[str, Any], offices: dict[str, list[str]]) -> Attorney:
    return Attorney(
        login=data["login"],
        first=data["first"],
        middle=data.get("middle", ""),
        last=data["last"],
        email=data["email"],
        office=offices[data["office"]],
        phone=data.get("phone", ""),
        fax=data.get("fax", ""),
        bar_status=data.get("bar_status", "ACTIVE"),
        pacer=data.get("pacer", ""),
    )


def _case_spec(data: dict[str, Any]) -> CaseSpec:
    intervenor = data.get("intervenor_caption")
    return CaseSpec(
        number=data["number"],
        title=data["title"],
        jurisdiction=data["jurisdiction"],
        category=data["category"],
        agency=data["agency"],
        product=data["product"],
        export_country=data["export_country"],
        date_filed=data["date_filed"],
        judge=data.get("judge"),
        panel=data["panel"],
        constitutional=data["constitutional"],
        short_plaintiff=data["short_plaintiff"],
        intervenor_caption=(intervenor["name"], intervenor["from"]) if intervenor else None,
        jury_demand=data.get("jury_demand", "No"),
        flags=list(data.get("flags", [])),
        parties=[
            PartySpec(
                name=party["name"],
                role=party["role"],
                attorneys=[(a["login"], a["lead"]) for a in party["attorneys"]],
                terminated_on=party.get("terminated_on"),
            )
            for party in data["parties"]
        ],
        entries=[
            Entry(
                day=entry["day"] if "day" in entry else _loaded_at(entry["hours_ago"]).date(),
                hours_ago=entry.get("hours_ago"),
                event=entry.get("event"),
                text=entry["text"],
                by=entry.get("by"),
                docs=[
                    Doc(
                        description=doc["description"],
                        title=doc["title"],
                        body=doc["body"],
                        filename=doc.get("filename", ""),
                    )
                    for doc in entry.get("docs", [])
                ],
            )
            for entry in data["entries"]
        ],
    )


def _loaded_at(hours_ago: int, now: datetime | None = None) -> datetime:
    """When an entry dated relative to the load was entered: hours_ago before it, in the
    court's local time, to the minute."""
    moment = timezone.localtime(now or timezone.now()) - timedelta(hours=hours_ago)
    return moment.replace(second=0, microsecond=0)


FILED = re.compile(r"\{filed(?:\+(\d+))?(:long)?\}")


def _fill(text: str, day: date) -> str:
    """The text with its {filed...} dates, for an entry filed on day."""

    def one(match: re.Match[str]) -> str:
        when = day + timedelta(days=int(match.group(1) or 0))
        return _long_date(when) if match.group(2) else f"{when.month}/{when.day}/{when.year}"

    return FILED.sub(one, text)


def dated(entry: Entry, day: date) -> Entry:
    """The entry as filed on day (relative entries: the day they were loaded)."""
    return dataclasses.replace(
        entry,
        day=day,
        text=_fill(entry.text, day),
        docs=[
            dataclasses.replace(doc, body=[_fill(paragraph, day) for paragraph in doc.body])
            for doc in entry.docs
        ],
    )


@functools.cache
def demo_court() -> DemoCourt:
    """The demo content, read once from demo_data/."""
    court = _read("court.toml")
    offices: dict[str, list[str]] = court["offices"]
    return DemoCourt(
        judges=[(j["name"], j["initials"], j["title"]) for j in court["judges"]],
        events=[(e["code"], e["name"], e["category"], e["docket_text"]) for e in court["events"]],
        attorneys=[_attorney(a, offices) for a in court["attorneys"]],
        record_only=_attorney(court["record_only"], offices),
        papers=Papers(**court["papers"]),
        cases=[_case_spec(_read(f"{name}.toml")) for name in court["cases"]],
        case_flags=[(f["name"], f.get("description", "")) for f in court.get("case_flags", [])],
    )


# --- document text ---------------------------------------------------------------------------


def _long_date(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _wrap(paragraph: str) -> list[str]:
    if paragraph.startswith("## "):
        return ["", paragraph[3:].upper(), ""]
    if paragraph.startswith("    "):
        return textwrap.wrap(
            paragraph.strip(),
            LINE_WIDTH - 8,
            initial_indent="        ",
            subsequent_indent="        ",
        ) or [""]
    return [*textwrap.wrap(paragraph, LINE_WIDTH, initial_indent="     "), ""]


def _caption(case: CaseSpec, plaintiff: str, defendant_lines: list[str]) -> list[str]:
    return [
        demo_court().papers.court,
        "",
        f"{plaintiff.upper()},",
        "                    Plaintiff,",
        "          v.",
        *defendant_lines,
        f"                                                  Court No. {case.court_no}",
        "",
    ]


def _signature(attorney: Attorney, party: str, day: date) -> list[str]:
    return [
        "",
        demo_court().papers.submitted,
        "",
        f"/s/ {attorney.name}",
        attorney.name,
        *attorney.office,
        attorney.phone,
        attorney.email,
        "",
        f"Counsel for {party}",
        f"Dated: {_long_date(day)}",
    ]


def render_pdf(
    case: CaseSpec, entry: Entry, doc: Doc, author: Attorney | None
) -> tuple[bytes, int]:
    """The PDF of one document (caption, title, body, signature, paginated) and its pages."""
    lines: list[str] = []
    if not doc.title.startswith("EXHIBIT"):
        defendant = ["UNITED STATES,", "                    Defendant."]
        intervenor = case.intervenor_caption
        if intervenor is not None and entry.day >= intervenor[1]:
            defendant = [
                "UNITED STATES,",
                "                    Defendant,",
                "          and",
                f"{intervenor[0]},",
                "                    Defendant-Intervenor.",
            ]
        lines += _caption(case, case.short_plaintiff, defendant)
    exhibit = doc.title.startswith("EXHIBIT")
    lines += [doc.title, ""]
    for paragraph in doc.body:
        wrapped = _wrap(paragraph)
        # Papers filed with the court are double-spaced (USCIT Rule 81(h)); exhibits are not.
        lines += wrapped if exhibit else [x for line in wrapped if line for x in (line, "")]
    pages = _paginate(lines)
    if author is not None and doc.description == "Main Document":
        party = next(
            (p.name for p in case.parties if any(a == author.login for a, _ in p.attorneys)),
            case.short_plaintiff,
        )
        signature = _signature(author, party, entry.day)
        if len(pages[-1]) + len(signature) > LINES_PER_PAGE:
            pages.append([])
        pages[-1] += signature
        pages.append(_certificate_of_service(author, entry.day))
    total = len(pages)
    numbered = [
        [*page, "", f"{' ' * 70}Page {n} of {total}"] for n, page in enumerate(pages, start=1)
    ]
    return make_pdf(numbered, title=f"{case.number} {doc.title.title()}"), total


def _paginate(lines: list[str]) -> list[list[str]]:
    return [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]


def _certificate_of_service(author: Attorney, day: date) -> list[str]:
    papers = demo_court().papers
    return [
        papers.certificate_title,
        "",
        *_wrap(papers.certificate.format(date=_long_date(day))),
        f"/s/ {author.name}",
        author.name,
    ]


# --- loading ---------------------------------------------------------------------------------


@dataclass
class DemoResult:
    cases: list[Case]
    created_entries: int
    stored_documents: int


def _docket_text(spec: Entry) -> str:
    """The text as the docket stores it: attachments listed before the filer's name, as
    the filing flow writes them."""
    attachments = spec.docs[1:]
    if not attachments:
        return spec.text
    listed = ", ".join(f"# {n} {d.description}" for n, d in enumerate(attachments, start=1))
    head, _, name = spec.text.rpartition(" (")
    return f"{head} (Attachments: {listed}) ({name}"


def _entered_at(day: date, seq: int) -> datetime:
    naive = datetime.combine(day, time(9, 30)) + timedelta(minutes=7 * seq)
    return timezone.make_aware(naive)


def _attorney_accounts(court: Court, password: str) -> dict[str, FilerAccount]:
    filers: dict[str, FilerAccount] = {}
    for spec in demo_court().attorneys:
        filer = FilerAccount.objects.filter(court=court, login=spec.login).first()
        if filer is None:
            filer = FilerAccount(
                court=court,
                login=spec.login,
                # Never usable: demo attorneys do not link; the one with PACER is linked.
                password=make_password(None),
                first_name=spec.first,
                middle_name=spec.middle,
                last_name=spec.last,
                email=spec.email,
                role=FilerAccount.Role.ATTORNEY,
                bar_status=spec.bar_status,
                firm=spec.office[0],
                address="\n".join(spec.office[1:]),
                phone=spec.phone,
                fax=spec.fax,
            )
            if spec.pacer:
                account = Account.objects.filter(username=spec.pacer).first()
                if account is None:
                    account = Account.objects.create_user(
                        spec.pacer,
                        password,
                        first_name=spec.first,
                        middle_name=spec.middle,
                        last_name=spec.last,
                        email=spec.email,
                    )
                if not FilerAccount.objects.filter(court=court, account=account).exists():
                    filer.account = account
                    filer.linked_at = timezone.now()
            filer.save()
        filers[spec.login] = filer
    record_only = demo_court().record_only.login
    doej = FilerAccount.objects.filter(court=court, login=record_only).first()
    if doej is not None:
        filers[record_only] = doej  # an attorney of record; its link is the seed's to make
    return filers


def _events(court: Court) -> dict[str, EventType]:
    catalogue_install(court=court)
    for position, (code, name, category, text) in enumerate(demo_court().events, start=100):
        EventType.objects.get_or_create(
            court=court,
            code=code,
            defaults={
                "name": name,
                "category": category,
                "docket_text": text,
                "position": position,
            },
        )
    return {e.code: e for e in EventType.objects.filter(court=court)}


def _attorney_spec(login: str | None) -> Attorney | None:
    if login is None:
        return None
    demo = demo_court()
    if login == demo.record_only.login:
        return demo.record_only
    return next(a for a in demo.attorneys if a.login == login)


def _ensure_stored(spec: CaseSpec, case: Case) -> int:
    """Write again any document whose PDF is missing from storage; returns how many."""
    store = document_store()
    written = 0
    documents = Document.objects.filter(entry__case=case).select_related("entry")
    for document in documents:
        seq, attachment = document.entry.seq, document.attachment_number
        if store.exists(document.storage_key) or seq > len(spec.entries):
            continue  # present, or filed later (not the loader's to regenerate)
        entry = dated(spec.entries[seq - 1], document.entry.date_filed)
        if attachment >= len(entry.docs):
            continue
        data, _ = render_pdf(spec, entry, entry.docs[attachment], _attorney_spec(entry.by))
        if hashlib.sha256(data).hexdigest() == document.storage_key:
            store.put(data)
            written += 1
    return written


def _case(
    spec: CaseSpec,
    court: Court,
    judges: dict[str, Judge],
    filers: dict[str, FilerAccount],
    events: dict[str, EventType],
    clerk: Account | None,
) -> tuple[Case, int, int]:
    case = Case.objects.filter(court=court, number=spec.number).first()
    if case is not None:
        return case, 0, _ensure_stored(spec, case)
    sequence, _ = CaseSequence.objects.get_or_create(court=court, year=spec.year)
    if sequence.last < spec.sequence:
        sequence.last = spec.sequence
        sequence.save(update_fields=["last"])
    case = Case.objects.create(
        court=court,
        number=spec.number,
        year=spec.year,
        sequence=spec.sequence,
        title=spec.title,
        jurisdiction=spec.jurisdiction,
        category=spec.category,
        agency=spec.agency,
        product_description=spec.product,
        export_country=spec.export_country,
        date_filed=spec.date_filed,
        constitutional_question=spec.constitutional,
        jury_demand=spec.jury_demand,
        flags=spec.flags,
        judge=judges[spec.judge] if spec.judge else None,
        created_at=_entered_at(spec.date_filed, 0),
        opened_by=filers.get(spec.entries[0].by or ""),
    )
    case.panel_assign([judges[i] for i in spec.panel])
    for position, party_spec in enumerate(spec.parties):
        party = Party.objects.create(
            case=case,
            name=party_spec.name,
            role=party_spec.role,
            terminated_on=party_spec.terminated_on,
            position=position,
        )
        for login, lead in party_spec.attorneys:
            if login in filers:
                Appearance.objects.create(
                    party=party,
                    filer=filers[login],
                    lead=lead,
                    to_be_noticed=True,
                    terminated_on=party_spec.terminated_on,
                )
    store = document_store()
    stored = 0
    now = timezone.now()
    for seq, spec_as_written in enumerate(spec.entries, start=1):
        if spec_as_written.hours_ago is None:
            entered_at = _entered_at(spec_as_written.day, seq)
        else:
            entered_at = _loaded_at(spec_as_written.hours_ago, now)
        entry_spec = dated(spec_as_written, timezone.localdate(entered_at))
        filer = filers.get(entry_spec.by) if entry_spec.by else None
        entry = DocketEntry.objects.create(
            case=case,
            number=seq,
            seq=seq,
            date_filed=entry_spec.day,
            entered_at=entered_at,
            event=events.get(entry_spec.event) if entry_spec.event else None,
            text=_docket_text(entry_spec),
            filer=filer,
            entered_by=(filer.account if filer is not None else clerk),
        )
        author = _attorney_spec(entry_spec.by)
        for attachment_number, doc in enumerate(entry_spec.docs):
            data, pages = render_pdf(spec, entry_spec, doc, author)
            key = store.put(data)
            stored += 1
            slug = doc.title.split(" (")[0].lower().replace(" ", "-").replace("'", "")
            document = Document.objects.create(
                entry=entry,
                attachment_number=attachment_number,
                description=doc.description,
                sha256=key,
                storage_key=key,
                pages=pages,
                size_bytes=len(data),
                original_filename=doc.filename or f"{slug[:60]}.pdf",
                created_at=entry.entered_at,
            )
            read = pdf_text(data)
            DocumentText.record(document, text=read.text, problem=read.problem)
    return case, len(spec.entries), stored


def load_demo_cases(court: Court, *, password: str, clerk: Account | None) -> DemoResult:
    """Judges, events, attorneys and the demo cases of the court (call in a transaction)."""
    judges: dict[str, Judge] = {}
    demo = demo_court()
    for name, initials, title in demo.judges:
        judges[initials], _ = Judge.objects.get_or_create(
            court=court, initials=initials, defaults={"name": name, "title": title}
        )
    for flag, description in demo.case_flags:
        CaseFlag.objects.get_or_create(
            court=court, name=flag, defaults={"description": description}
        )
    events = _events(court)
    filers = _attorney_accounts(court, password)
    cases: list[Case] = []
    created = stored = 0
    for spec in demo.cases:
        case, entries, documents = _case(spec, court, judges, filers, events, clerk)
        cases.append(case)
        created += entries
        stored += documents
    return DemoResult(cases=cases, created_entries=created, stored_documents=stored)


def docket_number(case: Case) -> str:
    """The number with the judges' initials, as the docket header shows it."""
    return full_case_number(case, panel_of(case))
