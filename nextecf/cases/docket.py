"""The docket report, in CM/ECF's layout (see juriscraper-client.md §3).

A docket may have 20,000 entries, so the report reads a fixed number of queries whatever
its size: the case, its panel, its parties, their attorneys, and the entries joined with
their main documents. The entries' rows are written
here rather than by a template loop, which would cost ten times as much per row; every
value that comes from the database is escaped.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from html import escape
from typing import Any
from urllib.parse import urlsplit

from django.db import connections
from django.db.models import Case as DbCase
from django.db.models import (
    CharField,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from nextecf.cases.models import (
    AccessLevel,
    Appearance,
    Case,
    Consolidation,
    DocketEntry,
    Document,
    Judge,
    Party,
)
from nextecf.cases.selectors import full_case_number, panel_of
from nextecf.courts.models import Court, FilerAccount
from nextecf.lib.dates import mdy

SORT_OLDEST = "oldest date first"
SORT_NEWEST = "most recent date first"
SORT_NUMBER = "document number"
SORTS = (SORT_OLDEST, SORT_NEWEST, SORT_NUMBER)

# May the reader open a document of this level, filed by this filer, with this pk? (The
# access policy's CaseReader.role, given by the caller: cases sits below the policy.)
MayOpen = Callable[[str, int | None, int], bool]


def _everyone(level: str, filer_id: int | None, document_pk: int) -> bool:
    return level == AccessLevel.PUBLIC


LEVEL_MARKS = {
    AccessLevel.RESTRICTED: "RESTRICTED",
    AccessLevel.SEALED: "SEALED",
    AccessLevel.CONFIDENTIAL: "CONFIDENTIAL",
}


@dataclass(frozen=True)
class DocketOptions:
    """What the docket report form asks for (juriscraper's field names in brackets)."""

    date_range_type: str = "Filed"  # [date_range_type] Filed or Entered
    date_from: date | None = None  # [date_from]
    date_to: date | None = None  # [date_to]
    number_from: int | None = None  # [documents_numbered_from_]
    number_to: int | None = None  # [documents_numbered_to_]
    parties: bool = True  # [list_of_parties_and_counsel]
    terminated: bool = True  # [terminated_parties]
    sort: str = SORT_OLDEST  # [sort1]
    multiple: bool = False  # [view_multi_docs] a checkbox per document, in one form


class LocalDates:
    """Local (court time zone) dates of many UTC instants given as ISO text
    ("2026-01-16 15:04:05..."), quickly. For each UTC day the local date changes at most
    twice; those two UTC times of day are worked out once per day, and each instant is
    placed by comparing its "HH:MM:SS" with them."""

    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone
        self.days: dict[str, tuple[str, str, str, str, str]] = {}

    def _start_utc(self, local_day: date) -> datetime:
        """The UTC instant at which local_day starts."""
        return datetime.combine(local_day, time(), tzinfo=self.zone).astimezone(UTC)

    def day(self, utc_day: str) -> tuple[str, str, str, str, str]:
        """(time the local date becomes the UTC date, time it becomes the next one, the
        local dates before, between and after), for a UTC day "YYYY-MM-DD"."""
        found = self.days.get(utc_day)
        if found is None:
            day = date.fromisoformat(utc_day)
            one = timedelta(days=1)
            starts, next_starts = self._start_utc(day), self._start_utc(day + one)
            # Before the day's own local midnight, or from the next one on, if they fall
            # inside this UTC day; otherwise never ("" sorts first, "~" last).
            first = starts.strftime("%H:%M:%S") if starts.date() == day else ""
            second = next_starts.strftime("%H:%M:%S") if next_starts.date() == day else "~"
            found = self.days[utc_day] = (first, second, mdy(day - one), mdy(day), mdy(day + one))
        return found

    def __call__(self, instant: str) -> str:
        """mm/dd/yyyy, in the local zone, of an instant written as UTC ISO text."""
        first, second, before, same, after = self.day(instant[:10])
        moment = instant[11:19]
        return before if moment < first else same if moment < second else after


# --- Parties and counsel ---------------------------------------------------------------------


@dataclass
class AttorneyBlock:
    name: str
    contact: list[str]
    lead: bool
    noticed: bool
    terminated_on: date | None
    bar_status: str
    designations: list[str] = field(default_factory=list)
    email_inactive: bool = False


@dataclass
class PartyBlock:
    role: str
    name: str
    extra_info: str
    terminated_on: date | None
    attorneys: list[AttorneyBlock] = field(default_factory=list)


def _contact_lines(filer: FilerAccount) -> list[str]:
    lines = [filer.firm] if filer.firm else []
    lines += [line.strip() for line in filer.address.splitlines() if line.strip()]
    if filer.phone:
        lines.append(filer.phone)
    if filer.fax:
        lines.append(f"Fax: {filer.fax}")
    if filer.email:
        lines.append(f"Email: {filer.email}")
    return lines


def _email_inactive(filer: FilerAccount) -> bool:
    """CM/ECF marks an inactive address "(Inactive)", after the attorney's contact lines."""
    return filer.email_inactive and bool(filer.email)


def party_blocks(case: Case, *, terminated: bool) -> list[PartyBlock]:
    """The party table: parties in docket order, each with its attorneys (lead first). An
    attorney already shown earlier says "(See above for address)". Two queries."""
    parties: Iterable[Party] = case.parties.all()
    appearances = Appearance.objects.filter(party__case=case).select_related("filer")
    if not terminated:
        parties = case.parties.filter(terminated_on__isnull=True)
        appearances = appearances.filter(terminated_on__isnull=True)
    by_party: dict[int, list[Appearance]] = defaultdict(list)
    for appearance in appearances.order_by("-lead", "created_at", "pk"):
        by_party[appearance.party_id].append(appearance)
    shown: set[int] = set()
    blocks = []
    for party in parties:
        block = PartyBlock(
            role=party.get_role_display(),
            name=party.name,
            extra_info=party.extra_info,
            terminated_on=party.terminated_on,
        )
        for appearance in by_party.get(party.pk, []):
            filer = appearance.filer
            seen = filer.pk in shown
            shown.add(filer.pk)
            contact = ["(See above for address)"] if seen else _contact_lines(filer)
            block.attorneys.append(
                AttorneyBlock(
                    name=filer.full_name,
                    contact=contact,
                    lead=appearance.lead,
                    noticed=appearance.to_be_noticed,
                    terminated_on=appearance.terminated_on,
                    bar_status=filer.bar_status,
                    designations=[str(role) for role in appearance.designations],
                    email_inactive=_email_inactive(filer),
                )
            )
        blocks.append(block)
    return blocks


# --- Entries ---------------------------------------------------------------------------------


def _entries_query(case: Case, options: DocketOptions) -> tuple[str, Sequence[Any], str]:
    """SQL for the entries joined with their main documents, and the database alias."""
    entries = DocketEntry.objects.filter(case=case)
    if options.date_from or options.date_to:
        if options.date_range_type == "Entered":
            zone = timezone.get_current_timezone()
            if options.date_from:
                start = datetime.combine(options.date_from, time(), tzinfo=zone)
                entries = entries.filter(entered_at__gte=start)
            if options.date_to:
                end = datetime.combine(options.date_to + timedelta(days=1), time(), tzinfo=zone)
                entries = entries.filter(entered_at__lt=end)
        else:
            if options.date_from:
                entries = entries.filter(date_filed__gte=options.date_from)
            if options.date_to:
                entries = entries.filter(date_filed__lte=options.date_to)
    if options.number_from is not None:
        entries = entries.filter(number__gte=options.number_from)
    if options.number_to is not None:
        entries = entries.filter(number__lte=options.number_to)
    if options.sort == SORT_NEWEST:
        order = [F("date_filed").desc(), F("seq").desc()]
    elif options.sort == SORT_NUMBER:
        order = [F("number").asc(nulls_last=True), F("seq").asc()]
    else:
        order = [F("date_filed").asc(), F("seq").asc()]
    rows = (
        entries.annotate(
            main=FilteredRelation("documents", condition=Q(documents__attachment_number=0))
        )
        .order_by(*order)
        .annotate(
            filed_text=Cast("date_filed", CharField()),
            entered_text=Cast("entered_at", CharField()),
        )
        .annotate(
            has_parts=Exists(Document.objects.filter(entry=OuterRef("pk"), attachment_number__gt=0))
        )
        .annotate(
            public_version=Subquery(
                DocketEntry.objects.filter(public_version_of=OuterRef("pk"))
                .order_by("seq")
                .values("number")[:1]
            )
        )
        # A stricken entry keeps its number and text but links no document (its documents
        # are for court staff only: access.entry_documents_readable).
        .annotate(
            shown_doc_id=DbCase(
                When(stricken_at__isnull=True, then=F("main__doc_id")), default=Value(None)
            )
        )
        .values_list(
            "number",
            "seq",
            "filed_text",
            "entered_text",
            "text",
            "shown_doc_id",
            "has_parts",
            "main__access_level",
            "filer_id",
            "main__id",
            "public_version_of__number",
            "public_version",
        )
    )
    # Built by the ORM, run on a bare cursor, with the dates as ISO text (datetimes in UTC,
    # the connections' time zone): turning 40,000 values into date objects and back into
    # text would cost more than the rest of the report.
    sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    return sql, params, rows.db


# CM/ECF links the entries a docket text refers to: "re: 12 Motion", "re: 12, 14 Order",
# and a filing's attachments it lists: "(Attachments: # 1 Exhibit A, # 2 Exhibit B)".
_REFERENCE = re.compile(r"\bre: \d+(?:, \d+)*")
_NUMBER = re.compile(r"\d+")
_ATTACHMENTS = re.compile(r"\(Attachments: [^)]*\)")
_ATTACHMENT = re.compile(r"# (\d+)")


def attachment_ids(
    case: Case, numbers: list[int], may_open: MayOpen = _everyone
) -> dict[tuple[int, int], str]:
    """(entry number, attachment number) -> the doc id its link opens (4th digit 1), for
    the entries listed and the attachments the reader may open; one query, none without
    such entries."""
    if not numbers:
        return {}
    rows = Document.objects.filter(
        entry__case=case, entry__number__in=numbers, attachment_number__gt=0
    ).values_list(
        "entry__number", "attachment_number", "doc_id", "access_level", "entry__filer_id", "pk"
    )
    return {
        (number, attachment): escape(doc_id[:3] + "1" + doc_id[4:])
        for number, attachment, doc_id, level, filer_id, pk in rows
        if number is not None and may_open(level, filer_id, pk)
    }


@dataclass(frozen=True)
class EntryRows:
    html: str  # escaped
    count: int
    first_number: int | None
    last_number: int | None


def entry_rows(
    case: Case,
    options: DocketOptions,
    *,
    court: Court,
    base: str = "",
    may_open: MayOpen = _everyone,
) -> EntryRows:
    """The <tr> rows of the entries table: Date Filed | # | Docket Text. A numbered entry
    links to its main document as CM/ECF does: the link absolute (`base`, e.g.
    https://ecf.cit.uscourts.gov/doc1/), goDLS's onclick relative (doc id, case id,
    sequence), and the doc id's 4th digit 1 for an entry without attachments (open the
    document), 0 for one with them (its attachment page); doc1 reads either back to the
    stored id. The stored text already ends with the filer's "(Last, First)";
    "(Entered: date)" is added here."""
    sql, params, alias = _entries_query(case, options)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    href = base or reverse("courts:doc1", args=[court.pk, "0"])[:-1]
    doc1 = urlsplit(href).path  # goDLS's address: the same, on this host
    case_id = str(case.pk)
    local_dates = LocalDates(timezone.get_current_timezone())
    known_days, local_day = local_dates.days, local_dates.day
    out: list[str] = []
    append = out.append
    numbers = []
    shown_ids = {}  # entry number -> its link's doc id, for "re: 12" references
    with_parts = []
    for number, _seq, _filed, _entered, _text, doc_id, has_parts, level, filer, pk, *_ in rows:
        if number is not None and doc_id and may_open(level, filer, pk):
            shown = doc_id if doc_id.isdigit() else escape(doc_id)
            shown_ids[number] = shown if has_parts else shown[:3] + "1" + shown[4:]
            if has_parts:
                with_parts.append(number)
    parts = attachment_ids(case, with_parts, may_open)
    parts_of = {number for number, _ in parts}

    def attachments(number: int) -> Callable[[re.Match[str]], str]:
        def link(found: re.Match[str]) -> str:
            doc_id = parts.get((number, int(found[1])))
            return f'# <a href="{href}{doc_id}">{found[1]}</a>' if doc_id else found[0]

        return lambda listing: _ATTACHMENT.sub(link, listing[0])

    def reference(found: re.Match[str]) -> str:
        """Link each entry number of a "re: 12, 14" reference that has a document here."""
        return _NUMBER.sub(
            lambda n: (
                f'<a href="{href}{shown_ids[int(n[0])]}">{n[0]}</a>'
                if int(n[0]) in shown_ids
                else n[0]
            ),
            found[0],
        )

    def entry_link(number: int) -> str:
        """An entry's number, linked to its document when the reader may open it."""
        shown = shown_ids.get(number)
        return f'<a href="{href}{shown}">{number}</a>' if shown else str(number)

    for number, seq, filed, entered, text, _doc, _parts, level, _f, _pk, of, version in rows:
        shown = shown_ids.get(number) if number is not None else None
        if number is None:
            cell = ""
        else:
            numbers.append(number)
            if shown:
                cell = (
                    f"<a href=\"{href}{shown}\" onclick=\"goDLS('{doc1}{shown}','{case_id}',"
                    f"'{seq}','','1','1','','');return(false);\">{number}</a>&nbsp;"
                )
            else:
                cell = str(number)
        if options.multiple:
            # CM/ECF's "View multiple documents": a checkbox cell after the number
            # (juriscraper skips cells with an input, and drops the empty ones).
            box = (
                f'<input type="checkbox" name="document_{number}_0" value="{shown}" '
                f'aria-label="Select document {number}">'
                if shown
                else ""
            )
            cell += f'</td><td valign="top">{box}'
        body = escape(text, quote=False)
        mark = LEVEL_MARKS.get(level)
        if mark and not body.upper().startswith(mark):
            body = f"{mark} {body}"
        if "re: " in body and shown_ids:
            body = _REFERENCE.sub(reference, body)
        if of is not None:
            body += f" (Public version of {entry_link(of)})"
        if version is not None:
            body += f" (Public version: {entry_link(version)})"
        if number in parts_of and "(Attachments: " in body:
            body = _ATTACHMENTS.sub(attachments(number), body)
        # The local date the entry was entered (LocalDates.__call__, inlined: 20,000 calls).
        utc_day = entered[:10]
        first, second, before, same, after = known_days.get(utc_day) or local_day(utc_day)
        moment = entered[11:19]
        entered_on = before if moment < first else same if moment < second else after
        append(
            f'<tr><td width="94" valign="top" nowrap>{filed[5:7]}/{filed[8:10]}/{filed[:4]}'
            f'</td><td valign="top" align="right" nowrap>{cell}</td><td valign="top">'
            f"{body} (Entered: {entered_on})</td></tr>\n"
        )
    return EntryRows(
        html="".join(out),
        count=len(rows),
        first_number=min(numbers) if numbers else None,
        last_number=max(numbers) if numbers else None,
    )


# --- The report ------------------------------------------------------------------------------


ROWS_MARK = "<!--docket-rows-->"  # escaped data never contains "<"


@dataclass(frozen=True)
class DocketReport:
    # The report without its receipt, in pieces (header and parties, the entries' rows,
    # the end of the table): what the billable pages count. Kept apart so that a large
    # docket's rows are copied once, into the response, not through every template.
    parts: tuple[str, ...]
    case_number: str  # with the judges' initials, e.g. 1:26-cv-00001-GSK
    criteria: str  # the receipt's Search Criteria
    entries: int


def search_criteria(number: str, options: DocketOptions, rows: EntryRows) -> str:
    parts = [number]
    if options.number_from is not None or options.number_to is not None:
        if options.number_from is not None:
            parts.append(f"Starting with document: {options.number_from}")
        if options.number_to is not None:
            parts.append(f"Ending with document: {options.number_to}")
    elif rows.first_number is not None:
        parts.append(f"Starting with document: {rows.first_number}")
        parts.append(f"Ending with document: {rows.last_number}")
    if options.date_from or options.date_to:
        kind = options.date_range_type
        parts.append(f"{kind} From: {mdy(options.date_from)} {kind} To: {mdy(options.date_to)}")
    return "  ".join(parts)


def consolidation_lines(case: Case) -> tuple[Case | None, list[Case]]:
    """(the lead case, the member cases) of a consolidated group this case belongs to:
    CM/ECF's "Lead Docket:" and "Member cases:" lines. Two queries at most."""
    lead = case if case.lead_case_id is None else Case.objects.filter(pk=case.lead_case_id).first()
    if lead is None:
        return None, []
    members = list(Case.objects.filter(lead_case=lead).order_by("number"))
    if not members:
        return None, []
    return lead, members


def consolidation_history(case: Case) -> list[Consolidation]:
    return list(
        Consolidation.objects.filter(Q(lead=case) | Q(member=case))
        .select_related("lead", "member")
        .order_by("consolidated_at", "pk")
    )


def docket_report(
    case: Case,
    options: DocketOptions,
    *,
    court: Court,
    doc1_base: str = "",
    may_open: MayOpen = _everyone,
) -> DocketReport:
    """Render the report body (header, case data, parties and counsel, entries), with
    document links under `doc1_base` (absolute, as CM/ECF's are; relative without it)."""
    panel: list[Judge] = panel_of(case)
    number = full_case_number(case, panel)
    rows = entry_rows(case, options, court=court, base=doc1_base, may_open=may_open)
    lead, members = consolidation_lines(case)
    flags = [str(flag) for flag in case.flags]
    if case.is_sealed:
        flags.append("SEALED")
    if case.date_terminated and not (
        case.date_reopened and case.date_reopened >= case.date_terminated
    ):
        flags.append("TERMINATED")
    body = render_to_string(
        "cases/docket_report_body.html",
        {
            "court": court,
            "case": case,
            "number": number,
            "panel": panel,
            "flags": flags,
            "parties": party_blocks(case, terminated=options.terminated)
            if options.parties
            else None,
            "rows_mark": mark_safe(ROWS_MARK),  # noqa: S308 - a constant comment
            "entries": rows.count,
            "multiple": options.multiple,
            "lead": lead,
            "members": members,
        },
    )
    head, tail = body.split(ROWS_MARK, 1)
    return DocketReport(
        parts=(head, rows.html, tail),
        case_number=number,
        criteria=search_criteria(number, options, rows),
        entries=rows.count,
    )
