"""What juriscraper's parsers should return for a case, worked out from the database alone
(not from the code that renders the pages), in juriscraper's own shapes and words."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from nextecf.cases.models import Appearance, Case, DocketEntry, Document, Judge
from nextecf.courts.models import FilerAccount

COURT = "cit"


def mdy(day: date) -> str:
    return f"{day.month:02d}/{day.day:02d}/{day.year}"


def panel(case: Case) -> list[Judge]:
    """The panel in the court's order (its seats' positions), else []. Seats of one
    position: the presiding judge first, then by id."""
    seats = sorted(
        case.panel_seats.all(),
        key=lambda seat: (seat.position, seat.judge_id != case.judge_id, seat.judge_id),
    )
    return [seat.judge for seat in seats]


def initials(case: Case) -> list[str]:
    judges = panel(case)
    if judges:
        return [judge.initials for judge in judges]
    return [case.judge.initials] if case.judge else ["N/A"]


def full_number(case: Case) -> str:
    return "-".join([case.number, *initials(case)])


def number_parts(case: Case) -> dict[str, Any]:
    """juriscraper's docket-number components of "1:26-cv-00001-GWC-TCS-LMG": office 1,
    type cv, the first initials as "assigned" and the second (a panel's) as "referred"."""
    parts = initials(case)
    return {
        "federal_dn_office_code": "1",
        "federal_dn_case_type": "cv",
        "federal_dn_judge_initials_assigned": parts[0],
        "federal_dn_judge_initials_referred": parts[1] if len(parts) > 1 else None,
        "federal_defendant_number": None,
    }


def assigned_to(case: Case) -> str:
    """A single judge's name; "" for a three-judge panel, as CIT's dockets list a Panel."""
    return "" if panel(case) else (case.judge.name if case.judge else "")


def main_document(entry: DocketEntry) -> Document | None:
    return next((d for d in entry.documents.all() if d.attachment_number == 0), None)


def entries(case: Case) -> list[DocketEntry]:
    return list(
        DocketEntry.objects.filter(case=case)
        .select_related("event")
        .prefetch_related("documents")
        .order_by("date_filed", "seq")
    )


def entered_on(entry: DocketEntry) -> date:
    return timezone.localtime(entry.entered_at).date()


def as_parsed(doc_id: str) -> str:
    """juriscraper always reads a doc id with its 4th digit set to 0."""
    return doc_id[:3] + "0" + doc_id[4:]


def event_name(entry: DocketEntry) -> str:
    return entry.event.name if entry.event else "Docket entry"


# --- DocketReport ----------------------------------------------------------------------------


def contact(filer: FilerAccount) -> str:
    lines = [filer.firm, *filer.address.splitlines(), filer.phone]
    lines += [
        f"Fax: {filer.fax}" if filer.fax else "",
        f"Email: {filer.email}" if filer.email else "",
    ]
    return "".join(" ".join(line.split()) + "\n" for line in lines if line.strip())


def attorney(appearance: Appearance) -> dict[str, Any]:
    filer = appearance.filer
    roles = ["(Inactive)"] if filer.email_inactive and filer.email else []
    roles += ["LEAD ATTORNEY"] if appearance.lead else []
    roles += list(appearance.designations)
    roles += ["ATTORNEY TO BE NOTICED"] if appearance.to_be_noticed else []
    return {"name": filer.full_name, "contact": contact(filer), "roles": roles}


def parties(case: Case, *, terminated: bool = True) -> list[dict[str, Any]]:
    """Parties in docket order, attorneys lead first; without `terminated`, only the parties
    and appearances still in the case."""
    result = []
    for party in case.parties.order_by("position", "pk"):
        if party.terminated_on and not terminated:
            continue
        extra = [party.extra_info] if party.extra_info else []
        if party.terminated_on:
            extra.append(f"TERMINATED: {mdy(party.terminated_on)}")
        data: dict[str, Any] = {
            "name": party.name,
            "type": party.role,
            "extra_info": "\n".join(extra),
            "date_terminated": party.terminated_on,
        }
        counsel = party.appearances.select_related("filer").order_by("-lead", "created_at", "pk")
        if not terminated:
            counsel = counsel.filter(terminated_on__isnull=True)
        if counsel:
            data["attorneys"] = [attorney(appearance) for appearance in counsel]
        result.append(data)
    return result


def docket_entry(entry: DocketEntry) -> dict[str, Any]:
    main = main_document(entry)
    linked = main is not None and entry.number is not None
    return {
        "date_filed": entry.date_filed,
        "date_entered": entered_on(entry),
        "document_number": str(entry.number) if entry.number is not None else None,
        "pacer_doc_id": as_parsed(main.doc_id) if linked and main else None,
        "pacer_seq_no": str(entry.seq) if linked else None,
        "description": f"{entry.text} (Entered: {mdy(entered_on(entry))})",
    }


def docket(case: Case, *, terminated: bool = True) -> dict[str, Any]:
    """DocketReport.data for the whole docket with parties and counsel (and terminated
    parties and counsel too, unless told otherwise)."""
    return {
        "court_id": COURT,
        "docket_number": case.number,
        "case_name": case.title,
        "date_filed": case.date_filed,
        "date_terminated": case.date_terminated,
        "date_converted": None,
        "date_discharged": None,
        "assigned_to_str": assigned_to(case),
        "referred_to_str": "",
        "cause": "",
        "nature_of_suit": "",
        "jury_demand": case.jury_demand,
        "demand": "",
        "jurisdiction": "",
        "mdl_status": "",
        "ordered_by": "date_filed",
        **number_parts(case),
        "parties": parties(case, terminated=terminated),
        "docket_entries": [docket_entry(entry) for entry in entries(case)],
    }


# --- CaseQuery and DocketHistoryReport -------------------------------------------------------


def last_filing(case: Case) -> date | None:
    days = [entry.date_filed for entry in case.entries.all()]
    return max(days) if days else None


def case_query(case: Case) -> dict[str, Any]:
    """CaseQuery.data: a panel's presiding judge (", panel 1") is its assigned judge."""
    judges = panel(case)
    judge = judges[0] if judges else case.judge
    data: dict[str, Any] = {
        "court_id": COURT,
        "docket_number": case.number,
        "case_name": case.title,
        "case_name_raw": case.title,
        "date_filed": case.date_filed,
        **number_parts(case),
    }
    if judge is not None:
        data["assigned_to_str"] = judge.name
    if case.date_terminated:
        data["date_terminated"] = case.date_terminated
    if last_filing(case):
        data["date_last_filing"] = last_filing(case)
    return data


def history(case: Case, *, documents_only: bool = False, text: bool = True) -> dict[str, Any]:
    """DocketHistoryReport.data (History, oldest first, with or without the docket text)."""
    rows = []
    for entry in entries(case):
        main = main_document(entry)
        if documents_only and main is None:
            continue
        rows.append(
            {
                "document_number": str(entry.number) if entry.number is not None else None,
                "pacer_doc_id": as_parsed(main.doc_id) if main else None,
                "pacer_seq_no": str(entry.seq) if main else None,
                "date_filed": entry.date_filed,
                "date_entered": entered_on(entry),
                "short_description": event_name(entry),
                "description": entry.text if text else "",
            }
        )
    return {
        "court_id": COURT,
        "docket_number": case.number,
        "case_name": case.title,
        "date_filed": case.date_filed,
        "date_last_filing": last_filing(case),
        "date_terminated": case.date_terminated,
        "date_discharged": None,
        "assigned_to_str": "" if panel(case) else assigned_to(case),
        "referred_to_str": "",
        **number_parts(case),
        "docket_entries": rows,
    }


# --- Documents --------------------------------------------------------------------------------


def size_str(size: int) -> str:
    if size < 1024:
        return ""  # "812 B": juriscraper keeps only sizes in KB or MB
    if size < 1_024_000:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1_024_000:.1f} MB"


def attachment_page(entry: DocketEntry) -> dict[str, Any]:
    parts = list(entry.documents.order_by("attachment_number"))
    main = parts[0]
    return {
        "document_number": entry.number,
        "pacer_doc_id": as_parsed(main.doc_id),
        "pacer_case_id": str(entry.case_id),
        "pacer_seq_no": str(entry.seq),
        "page_count": main.pages,
        "file_size_bytes": main.size_bytes,
        "file_size_str": size_str(main.size_bytes),
        "attachments": [
            {
                "attachment_number": part.attachment_number,
                "description": part.description,
                "page_count": part.pages,
                "file_size_str": size_str(part.size_bytes),
                "pacer_doc_id": as_parsed(part.doc_id),
                "pacer_seq_no": str(entry.seq),
                "file_size_bytes": part.size_bytes,
            }
            for part in parts[1:]
        ],
    }
