"""The PCL API's answers, built from our rows as the models of schemas.py (CaseItem,
PartyItem, Receipt, ...) declare them: the PCL API User Guide's field names, JSON types and
order (§6.4-6.5 of reference/pacer-api-clients.md); a field without a value is left out,
never null; content is always a list. They are plain dicts, as services store and return
them; the API's tests validate real answers against the models."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from nextecf.api.schemas import (
    CASE_SEARCH,
    PAGE_SIZE,
    PARTY_SEARCH,
    PageInfo,
    Receipt,
    SortInfo,
    SortOrder,
)
from nextecf.cases.models import Case, Party
from nextecf.cases.numbers import parse_case_number
from nextecf.courts.models import Court

JURISDICTION = "Civil"  # every case here is a civil case (CIT: 1:YY-cv-NNNNN)
PARTY_TYPE = "pty"  # a party, as opposed to an attorney ("aty")
# CM/ECF-style party role codes (partyRole; the role[] search criterion takes them too).
ROLE_CODES: dict[str, str] = {
    Party.Role.PLAINTIFF: "pla",
    Party.Role.DEFENDANT: "dft",
    Party.Role.INTERVENOR_PLAINTIFF: "intvp",
    Party.Role.INTERVENOR_DEFENDANT: "intvd",
    Party.Role.CONSOLIDATED_PLAINTIFF: "cnpla",
    Party.Role.AMICUS: "amc",
}
ROLES_BY_CODE = {code: role for role, code in ROLE_CODES.items()}
__all__ = ["CASE_SEARCH", "PARTY_SEARCH"]  # with the functions below, for services
EMPTY_NAME = " "  # PCL's value for a name part a party does not have


def pcl_court_id(court_id: str) -> str:
    """PCL's id for a court of ours: the court's own (Court.pcl_court_id, e.g. citdc for
    the CIT, candc for a district court), else its CM/ECF id plus "dc"."""
    known = Court.objects.pcl_ids().get(court_id)
    return known[0] if known is not None else f"{court_id}dc"


def court_id_from_pcl(pcl_id: str) -> str | None:
    """Our court id for a PCL court id, or None when it names none of ours."""
    pcl_id = pcl_id.strip().lower()
    for court_id, (ours, _regions) in Court.objects.pcl_ids().items():
        if ours == pcl_id:
            return court_id
    return None


def court_ids_from_pcl(code: str) -> list[str]:
    """Our courts a courtId criterion names: a PCL court id (citdc) or a region code (the
    guide's Appendix E: a state's postal code or a circuit's number, e.g. ny or 02, kept on
    each court as Court.pcl_regions), in any letter case."""
    code = code.strip().lower()
    courts = Court.objects.pcl_ids()
    regional = sorted(court for court, (_pcl, regions) in courts.items() if code in regions)
    if regional:
        return regional
    court = court_id_from_pcl(code)
    return [court] if court else []


def case_link(court_id: str, case_id: int) -> str:
    """The case's CM/ECF query menu, on the court's own host when there is one."""
    domain = settings.ECF_DOMAIN
    if domain:
        return f"https://ecf.{court_id}.{domain}/cgi-bin/iqquerymenu.pl?{case_id}"
    return f"{settings.SITE_URL.rstrip('/')}/{court_id}/cgi-bin/iqquerymenu.pl?{case_id}"


def pcl_case_number(case: Case) -> str:
    """PCL's normalised case number, o:yyyytpnnnnn (e.g. 1:2025cv00001)."""
    office, case_type = _office_and_type(case)
    return f"{office}:{case.year:04d}{case_type}{case.sequence:05d}"


def _office_and_type(case: Case) -> tuple[str, str]:
    typed = parse_case_number(case.number)
    if typed is None or typed.office is None or typed.case_type is None:
        court = case.court
        return str(court.case_office), court.case_type
    return str(typed.office), typed.case_type


def case_item(case: Case) -> dict[str, Any]:
    office, case_type = _office_and_type(case)
    item: dict[str, Any] = {
        "courtId": pcl_court_id(case.court_id),
        "caseId": case.pk,
        "caseYear": case.year,
        "caseNumber": case.sequence,
        "caseOffice": office,
        "caseType": case_type,
        "caseTitle": case.title,
        "dateFiled": case.date_filed.isoformat(),
    }
    if case.date_terminated is not None:
        item["dateTermed"] = case.date_terminated.isoformat()
    closed = case.effective_date_closed
    if closed is not None:
        item["effectiveDateClosed"] = closed.isoformat()
    if case.date_reopened is not None:
        item["dateReopened"] = case.date_reopened.isoformat()
    item["jurisdictionType"] = JURISDICTION
    if case.judge is not None:
        item["judgeLastName"] = case.judge.last_name
    item["caseLink"] = case_link(case.court_id, case.pk)
    item["caseNumberFull"] = pcl_case_number(case)
    return item


def party_item(party: Party) -> dict[str, Any]:
    """A party row: the party's names and role, the case's fields repeated at the party level
    as PCL does, and the whole case item nested as courtCase. Party names are kept whole (an
    entity or a person), so lastName holds the name and the other parts are " "."""
    case = party.case
    court_case = case_item(case)
    item: dict[str, Any] = {
        "courtId": court_case["courtId"],
        "caseId": court_case["caseId"],
        "caseYear": court_case["caseYear"],
        "caseNumber": court_case["caseNumber"],
        "lastName": party.name,
        "firstName": EMPTY_NAME,
        "middleName": EMPTY_NAME,
        "generation": EMPTY_NAME,
        "partyType": PARTY_TYPE,
        "partyRole": ROLE_CODES.get(party.role, PARTY_TYPE),
        "jurisdictionType": JURISDICTION,
        "courtCase": court_case,
    }
    for key in (
        "dateFiled",
        "dateTermed",
        "effectiveDateClosed",
        "caseOffice",
        "caseType",
        "caseTitle",
        "caseNumberFull",
    ):
        if key in court_case:
            item[key] = court_case[key]
    return item


# PCL runs on Central time: the guide's receipts and batch times carry -0600 (CST) or
# -0500 (CDT) whatever the court's own zone, e.g. 2020-12-18T11:01:48.267-0600.
PCL_TIME_ZONE = ZoneInfo("America/Chicago")


def timestamp(moment: datetime) -> str:
    """yyyy-MM-dd'T'HH:mm:ss.SSSZ in US/Central, as PCL stamps receipts and batch jobs."""
    local = timezone.localtime(moment, PCL_TIME_ZONE)
    return f"{local:%Y-%m-%dT%H:%M:%S}.{local.microsecond // 1000:03d}{local:%z}"


def fee_text(cents: int) -> str:
    """A fee as PCL writes it: ".10", "1.20", ".00"."""
    text = f"{cents / 100:.2f}"
    return text[1:] if text.startswith("0.") else text


def receipt(
    *,
    when: datetime,
    login: str,
    client_code: str,
    search: str,
    description: str,
    cso_id: int,
    report_id: str,
    pages: int,
    cost_cents: int,
) -> dict[str, Any]:
    return {
        "transactionDate": timestamp(when),
        "billablePages": pages,
        "loginId": login,
        "clientCode": client_code,
        "firmId": "",
        "search": search,
        "description": description,
        "csoId": cso_id,
        "reportId": report_id,
        "searchFee": fee_text(cost_cents),
    }


RECEIPT_KEYS = tuple(Receipt.__annotations__)


def ordered_receipt(stored: dict[str, Any]) -> dict[str, Any]:
    """A stored receipt in the guide's field order (jsonb keeps its own)."""
    return {key: stored[key] for key in RECEIPT_KEYS if key in stored}


def page_count(total: int, *, max_pages: int | None = None) -> int:
    pages = math.ceil(total / PAGE_SIZE)
    return min(pages, max_pages) if max_pages is not None else pages


def page_info(*, page: int, total: int, on_page: int, max_pages: int | None) -> PageInfo:
    """Spring-style paging: 0-based number, size 54; with no rows there are 0 pages and the
    (only) page 0 is both first and last."""
    pages = page_count(total, max_pages=max_pages)
    return {
        "number": page,
        "size": PAGE_SIZE,
        "totalPages": pages,
        "totalElements": total,
        "numberOfElements": on_page,
        "first": page == 0,
        "last": page + 1 >= pages,
    }


def sort_info(orders: list[SortOrder]) -> SortInfo:
    return {"orders": [order.as_dict() for order in orders]}
