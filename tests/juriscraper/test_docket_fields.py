"""The docket fields real CIT pages carry, read back by juriscraper 4.0.1 field for field
against the database: the panel in the court's order, the jury demand, an inactive email,
a name suffix, further attorney roles (PRO HAC VICE), an unassigned case, the court's own
database name and court-defined case flags."""

from __future__ import annotations

from nextecf.cases.factories import AppearanceFactory, CaseFactory, JudgeFactory, PartyFactory
from nextecf.cases.models import CaseFlag, Party
from tests.juriscraper import expected
from tests.juriscraper.conftest import attorney
from tests.juriscraper.test_docket_report import docket_of


def test_the_panel_reads_in_the_courts_order_not_by_id(pacer, panel_case):
    judges = expected.panel(panel_case)  # seated GWC, TCS, LMG by id
    panel_case.panel_assign([judges[1], judges[0], judges[2]])
    data, response = docket_of(pacer, panel_case, show_terminated_parties=True)
    assert data == expected.docket(panel_case)
    assert data["docket_number"] == panel_case.number
    assert data["federal_dn_judge_initials_assigned"] == "TCS"
    assert data["federal_dn_judge_initials_referred"] == "GWC"
    assert f"{panel_case.number}-TCS-GWC-LMG" in response.text


def test_jury_demand_inactive_email_suffix_and_pro_hac_vice(pacer, simple_case):
    simple_case.jury_demand = "Yes"
    simple_case.save()
    party = simple_case.parties.get(role=Party.Role.PLAINTIFF)
    counsel = attorney(
        simple_case.court, "hacvice", "Henry", "Visitor", suffix="Jr.", email_inactive=True
    )
    AppearanceFactory(party=party, filer=counsel, lead=False, designations=["PRO HAC VICE"])
    data, _ = docket_of(pacer, simple_case)
    assert data == expected.docket(simple_case, terminated=False)
    assert data["jury_demand"] == "Yes"
    visitor = data["parties"][0]["attorneys"][-1]
    assert visitor["name"] == "Henry Visitor Jr."
    assert visitor["roles"] == ["(Inactive)", "PRO HAC VICE", "ATTORNEY TO BE NOTICED"]
    assert "(Inactive)" not in visitor["contact"]


def test_an_unassigned_case_with_court_flags(pacer, court):
    case = CaseFactory(court=court, title="Nobody Yet v. United States", judge=None)
    PartyFactory(case=case, name="Nobody Yet", role=Party.Role.PLAINTIFF)
    CaseFlag.objects.create(court=court, name="3JPByrd")
    case.flags = ["3JPByrd"]
    case.full_clean()
    case.save()
    JudgeFactory(court=court, initials="XYZ")  # a judge of the court, not of this case
    data, response = docket_of(pacer, case)
    assert data == expected.docket(case, terminated=False)
    assert data["jury_demand"] == "No"  # as CIT's pages give it by default
    # juriscraper reads CM/ECF's "Assigned to: Unassigned" as no judge.
    assert data["assigned_to_str"] == ""
    assert "<b>Assigned to:</b> Unassigned<br>" in response.text
    assert data["federal_dn_judge_initials_assigned"] == "N/A"
    assert "LIVE Database (New York)<br>" in response.text
    assert "<span>3JPByrd</span>" in response.text
