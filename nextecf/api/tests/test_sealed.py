"""Sealed cases never appear to those who may not see them: not in case searches, party
searches, nested party criteria, batch reports or counts."""

from __future__ import annotations

import pytest

from nextecf.access import visible_cases
from nextecf.accounts.factories import AccountFactory
from nextecf.api.services import visible_everywhere
from nextecf.cases.factories import AppearanceFactory, CaseFactory, PartyFactory
from nextecf.courts.models import Court, FilerAccount


@pytest.fixture
def sealed(court, other_court, people):
    """In each court an open case and a sealed one; the persona matrix's filer of record
    appears in the cit sealed case."""
    cases = {}
    for c in (court, other_court):
        cases[(c.pk, False)] = CaseFactory(court=c, title=f"Hidden Open {c.pk} v. US")
        cases[(c.pk, True)] = CaseFactory(
            court=c, title=f"Hidden Sealed {c.pk} v. US", is_sealed=True
        )
        for (court_id, is_sealed), case in list(cases.items()):
            if court_id == c.pk:
                PartyFactory(case=case, name=f"Hidden Party {court_id} {is_sealed}")
    party = cases[("cit", True)].parties.get()
    AppearanceFactory(party=party, filer=FilerAccount.objects.get(login="filerrec"))
    return cases


def persona(people, name):
    if name == "superuser":
        return AccountFactory(username="superuser01", is_staff=True, is_superuser=True)
    return getattr(people, name)


@pytest.mark.parametrize(
    ("who", "sees_sealed"),
    [
        ("public", set()),
        ("other_filer", set()),
        ("shared", set()),
        ("legacy", set()),
        ("filer", {"cit"}),  # filer of record in the cit sealed case only
        ("clerk", {"cit"}),  # staff of cit
        ("other_clerk", {"ca9"}),  # staff of ca9
        ("superuser", {"cit", "ca9"}),
    ],
)
def test_sealed_cases_appear_only_to_those_allowed(api, people, sealed, who, sees_sealed):
    account = persona(people, who)
    client = api(account)
    expected = {f"Hidden Open {c} v. US" for c in ("cit", "ca9")} | {
        f"Hidden Sealed {c} v. US" for c in sees_sealed
    }
    cases = client.cases({"caseTitle": "hidden"}).json()
    assert {i["caseTitle"] for i in cases["content"]} == expected
    assert cases["pageInfo"]["totalElements"] == len(expected)
    parties = client.parties({"lastName": "hidden"}).json()
    assert {i["caseTitle"] for i in parties["content"]} == expected
    nested = client.cases({"party": {"lastName": "hidden party"}}).json()
    assert {i["caseTitle"] for i in nested["content"]} == expected
    by_id = client.cases({"caseId": sealed[("cit", True)].pk}).json()["content"]
    assert len(by_id) == (1 if "cit" in sees_sealed else 0)
    report = client.post("/cases/download", {"caseTitle": "hidden"}).json()
    rows = client.get(f"/cases/download/{report['reportId']}").json()["content"]
    assert {i["caseTitle"] for i in rows} == expected
    # The same rule as the court pages', court by court.
    everywhere = set(visible_everywhere(account).values_list("pk", flat=True))
    per_court = set()
    for c in Court.objects.all():
        per_court |= set(visible_cases(user=account, court=c).values_list("pk", flat=True))
    assert everywhere == per_court


def test_a_terminated_appearance_or_inactive_court_account_stops_showing_the_sealed_case(
    api, people, sealed
):
    client = api(people.filer)
    assert len(client.cases({"caseTitle": "hidden sealed"}).json()["content"]) == 1
    FilerAccount.objects.filter(login="filerrec").update(is_active=False)
    assert client.cases({"caseTitle": "hidden sealed"}).json()["content"] == []


def test_a_disabled_account_finds_nothing_and_its_token_stops_working(api, people, sealed):
    client = api(people.public)
    assert client.cases({"caseTitle": "hidden"}).status_code == 200
    people.public.is_active = False
    people.public.save()
    assert client.cases({"caseTitle": "hidden"}).status_code == 401
    assert not visible_everywhere(people.public).exists()
