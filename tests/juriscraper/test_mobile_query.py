"""MobileQuery (mobile_query.pl?search=caseInfo&caseid==<id>), which CourtListener uses to
see whether a docket grew: the entry count is the database's, the page is free and counts
as signed on."""

from __future__ import annotations

import pytest

from nextecf.billing.models import AccessCharge
from tests.juriscraper.conftest import ECF


@pytest.mark.parametrize("which", ["simple_case", "panel_case", "long_case"])
def test_mobile_query_counts_the_entries(pacer, request, which):
    from juriscraper.pacer import MobileQuery

    case = request.getfixturevalue(which)

    async def fetch(session):
        report = MobileQuery("cit", pacer_session=session)
        await report.query(str(case.pk))
        return report.data

    assert pacer.run(fetch) == {
        "court_id": "cit",
        "entry_count": case.entries.count(),
        "cost": "",  # no "Cost:": not charged
    }
    assert pacer.urls()[1:] == [f"{ECF}/cgi-bin/mobile_query.pl?search=caseInfo&caseid=={case.pk}"]
    assert not AccessCharge.objects.exists()
