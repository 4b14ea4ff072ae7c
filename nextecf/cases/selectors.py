"""Reading cases: case numbers as people type them, judges' initials, searches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, QuerySet

from nextecf.accounts.models import Account
from nextecf.cases.fulltext import names_matching
from nextecf.cases.models import Case, DocketEntry, Judge, Party
from nextecf.courts.models import Court
from nextecf.lib.search import search_time_limit

CASE_NUMBER_HELP = "a case number such as 1:26-cv-00001, 26-00001 or 26-1"

SEARCH_LIMIT = 500  # more matches than this asks for a narrower search


def parse_case_id(text: str) -> int | None:
    """A case's internal id as CM/ECF pages pass it (DktRpt.pl?123, all_case_ids=123)."""
    text = text.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        return None
    value = int(text)
    return value if value > 0 else None


def panel_of(case: Case, *, prefetched: bool = False) -> list[Judge]:
    """The three-judge panel in the order the court seated it (PanelSeat.position), or []:
    the case number's initials and the docket's Panel lines follow it. Seats of equal
    position (a panel set without positions) put the presiding (assigned) judge first,
    then go by id. With `prefetched`, from prefetch_related("panel_seats__judge")."""
    seats = (
        list(case.panel_seats.all())
        if prefetched
        else list(case.panel_seats.select_related("judge"))
    )
    seats.sort(key=lambda seat: (seat.position, seat.judge_id != case.judge_id, seat.judge_id))
    return [seat.judge for seat in seats]


def judge_suffix(case: Case, panel: list[Judge]) -> str:
    """What CM/ECF appends to a case number: the panel's or the judge's initials, or N/A."""
    if panel:
        return "-".join(judge.initials for judge in panel)
    if case.judge is not None:
        return case.judge.initials
    return "N/A"


def full_case_number(case: Case, panel: list[Judge]) -> str:
    return f"{case.number}-{judge_suffix(case, panel)}"


def short_description(entry: DocketEntry) -> str:
    """What CM/ECF calls an entry in its lists (History/Documents, the RSS feed): the name
    of its event, e.g. "Complaint"; entries without an event are just "Docket entry"; a
    stricken entry says so, "Motion (STRICKEN)"."""
    name = entry.event.name if entry.event is not None else "Docket entry"
    return f"{name} (STRICKEN)" if entry.stricken_at is not None else name


def size_label(size: int) -> str:
    """A file size as CM/ECF's attachment page shows it: 812 B, 248.8 KB, 1.0 MB."""
    if size < 1024:
        return f"{size} B"
    if size < 1_024_000:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1_024_000:.1f} MB"


@dataclass(frozen=True)
class CaseHit:
    pk: int
    number: str
    title: str
    date_filed: date
    date_terminated: date | None
    party: str = ""  # the matching party, for party-name searches
    role: str = ""


@dataclass(frozen=True)
class SearchResult:
    hits: list[CaseHit]
    truncated: bool


def search_cases(
    *,
    user: Account,
    court: Court,
    case_number: str = "",
    case_name: str = "",
    party_name: str = "",
) -> SearchResult:
    """Cases this person may see that match every criterion given. A case number is in
    its normalized form; names match by their words, together and in order, ignoring case
    and punctuation, a word ending in * matching the words it begins (cases.fulltext).
    Raises SearchTooSlow when
    PostgreSQL gives up at SEARCH_TIMEOUT_MS."""
    with search_time_limit():
        cases: QuerySet[Case] = Case.objects.visible_to(user, court)
        if case_number:
            cases = cases.filter(number=case_number)
        if case_name:
            cases = names_matching(cases, "title", case_name)
        fields = ("pk", "number", "title", "date_filed", "date_terminated")
        if party_name:
            # Parties first, each checked against its case (a join the planner can drive
            # from the name index), not the court's every case gathered for a subquery.
            parties = (
                names_matching(Party.objects.filter(case__court=court), "name", party_name)
                .filter(Exists(cases.filter(pk=OuterRef("case_id"))))
                .order_by("-case__date_filed", "case__number", "position", "pk")
                .values_list(*(f"case__{f}" for f in fields), "name", "role")[: SEARCH_LIMIT + 1]
            )
            hits = [CaseHit(*row) for row in parties]
        else:
            rows = cases.order_by("-date_filed", "number").values_list(*fields)[: SEARCH_LIMIT + 1]
            hits = [CaseHit(*row) for row in rows]
    return SearchResult(hits=hits[:SEARCH_LIMIT], truncated=len(hits) > SEARCH_LIMIT)


def _public_versions_overdue(court: Court, today: date) -> QuerySet[DocketEntry]:
    return DocketEntry.objects.filter(
        case__court=court, public_version_due__lt=today, public_versions__isnull=True
    )


def public_versions_overdue(court: Court, today: date) -> list[DocketEntry]:
    """Confidential filings whose public version was due before today and has not been
    filed (the clerk's queue shows them as overdue)."""
    return list(
        _public_versions_overdue(court, today)
        .select_related("case", "filer")
        .order_by("public_version_due", "case__number", "seq")[:500]
    )


def public_versions_overdue_count(court: Court, today: date) -> int:
    """How many public versions are overdue (the staff home's count), in one COUNT."""
    return _public_versions_overdue(court, today).count()


def confidential_entries(case: Case) -> list[DocketEntry]:
    """The case's entries whose main document is confidential: what a public version may
    be the public version of."""
    return list(
        DocketEntry.objects.filter(
            case=case, documents__attachment_number=0, documents__access_level="confidential"
        ).order_by("seq")[:500]
    )
