"""The Query page's sub-reports (Alias, Associated Cases, Attorney, Deadlines/Hearings,
Party, Related Transactions, Status, Summary) and DisplayMenu.pl, fetched by a signed-on
PacerSession: each counts as signed on, starts with the caption block juriscraper's
CaseQuery reads field for field, lists what the database holds, and is billed."""

from __future__ import annotations

import re
from html import unescape

import pytest

from nextecf.billing.models import AccessCharge
from nextecf.cases.docket import mdy
from nextecf.cases.models import Appearance
from tests.juriscraper import expected
from tests.juriscraper.conftest import ECF

SCRIPTS = [
    "qryAlias.pl",
    "qryAscCases.pl",
    "qryAttorneys.pl",
    "SchedQry.pl",
    "qryParties.pl",
    "RelTransactQry.pl",
    "StatusQry.pl",
    "qrySumry.pl",
]


def cells(html: str) -> list[list[str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    return [
        [unescape(c) for c in re.findall(r"<td>(.*?)</td>", row, flags=re.S)]
        for row in rows
        if "<td>" in row
    ]


def fetch_all(case_id: str):
    from juriscraper.pacer import CaseQuery
    from juriscraper.pacer.http import check_if_logged_in_page

    async def fetch(session):
        got = {}
        for script in SCRIPTS:
            response = await session.get(f"{ECF}/cgi-bin/{script}?{case_id}")
            report = CaseQuery("cit")
            report._parse_text(response.text)
            got[script] = (
                response.status_code,
                check_if_logged_in_page(response.content),
                report.data,
                response.text,
            )
        menu = await session.get(f"{ECF}/cgi-bin/DisplayMenu.pl?Reports")
        got["menu"] = (menu.status_code, str(menu.url))
        return got

    return fetch


@pytest.mark.parametrize("which", ["simple_case", "panel_case"])
def test_every_sub_report_parses_and_lists_the_database(pacer, request, which):
    case = request.getfixturevalue(which)
    got = pacer.run(fetch_all(str(case.pk)))
    assert got.pop("menu") == (200, f"{ECF}/cit/reports/")
    for script, (status, signed_on, data, _) in got.items():
        assert (status, signed_on) == (200, True), script
        assert data == expected.case_query(case), script
    parties = [
        [p.name, p.get_role_display(), mdy(p.terminated_on) if p.terminated_on else ""]
        for p in case.parties.order_by("position", "pk")
    ]
    assert cells(got["qryParties.pl"][3]) == parties
    attorneys = Appearance.objects.filter(party__case=case)
    shown = cells(got["qryAttorneys.pl"][3])
    assert sorted(row[0] for row in shown) == sorted(a.filer.full_name for a in attorneys)
    numbered = case.entries.filter(number__isnull=False).order_by("number")
    assert [row[0] for row in cells(got["RelTransactQry.pl"][3])] == [
        str(e.number) for e in numbered
    ]
    status = dict(row for row in cells(got["StatusQry.pl"][3]) if len(row) == 2)
    assert status["Status"] == ("Closed" if case.date_terminated else "Open")
    summary = dict(row for row in cells(got["qrySumry.pl"][3]) if len(row) == 2)
    assert summary["Docket entries"] == str(case.entries.count())
    assert "There are no aliases" in got["qryAlias.pl"][3]
    charges = AccessCharge.objects.filter(account__username="jscraper01")
    assert sorted(c.description for c in charges) == sorted(
        [
            "Alias",
            "Associated Cases",
            "Attorney",
            "Deadlines/Hearings",
            "Party",
            "Related Transactions",
            "Status",
            "Summary",
        ]
    )


def test_a_missing_case_sub_report_is_not_found(pacer):
    got = pacer.run(fetch_all("424242"))
    got.pop("menu")
    for script, (status, signed_on, data, text) in got.items():
        assert (status, signed_on, data) == (200, True, {}), script
        assert "Case not found." in text
    assert not AccessCharge.objects.exists()
