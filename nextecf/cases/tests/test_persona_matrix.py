"""Every case page against every kind of person: who sees a sealed case, who is charged
what, and who is sent to log in."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import login
from nextecf.audit.models import AuditEvent, Event
from nextecf.billing.models import AccessCharge

PERSONAS = ["filer", "other_filer", "public", "clerk", "other_clerk", "shared", "legacy"]
SEES_SEALED = {"filer", "clerk"}  # the filer of record and this court's staff
FREE = {"clerk": AccessCharge.Free.COURT_EXEMPT}  # the court's own staff pay nothing

DOCKET_FIELDS = {"sort1": "oldest date first", "output_format": "html"}


def case_pages(case) -> list[tuple[str, str, dict[str, str] | None]]:
    """(method, url, data) of every page about one case; the query pages and the report
    options are free, the reports billed."""
    return [
        ("get", f"/cit/cgi-bin/iquery.pl?{case.pk}", None),
        ("get", f"/cit/cgi-bin/iqquerymenu.pl?{case.pk}", None),
        ("post", "/cit/cgi-bin/iquery.pl?1-L_1_0-1", {"all_case_ids": str(case.pk)}),
        ("get", f"/cit/cgi-bin/DktRpt.pl?{case.pk}", None),
        ("post", "/cit/cgi-bin/DktRpt.pl", {**DOCKET_FIELDS, "all_case_ids": str(case.pk)}),
        ("get", f"/cit/cgi-bin/HistDocQry.pl?{case.pk}", None),
        ("post", f"/cit/cgi-bin/HistDocQry.pl?1-L_1_0-0-{case.pk}", {"QueryType": "History"}),
        ("get", f"/cit/cgi-bin/qrySummary.pl?{case.pk}", None),
    ]


def fetch(client: Client, method: str, url: str, data):
    return client.post(url, data) if method == "post" else client.get(url)


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_ordinary_case_is_open_to_every_signed_on_person(cit_case, people, signed_in, persona):
    client = signed_in(getattr(people, persona))
    for method, url, data in case_pages(cit_case.case):
        response = fetch(client, method, url, data)
        assert response.status_code == 200, url
        assert b"/cgi-bin/login.pl?logout" in response.content, url


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_sealed_case_only_for_its_filers_of_record_and_the_court(
    sealed_case, people, signed_in, persona
):
    client = signed_in(getattr(people, persona))
    document = sealed_case.entries.get().documents.get()
    sees = persona in SEES_SEALED
    for method, url, data in case_pages(sealed_case):
        response = fetch(client, method, url, data)
        assert response.status_code == 200, url
        # Not seeing it: CM/ECF's "Case Under Seal", and nothing about the case.
        assert (b"Case Under Seal" not in response.content) is sees, url
        if not sees:
            assert b"Secret Importer" not in response.content
    response = client.get(f"/cit/doc1/{document.doc_id}")
    assert response.status_code == 200
    assert (b"not found" not in response.content) is sees
    if not sees:
        assert b"Secret Importer" not in response.content
    # Searches do not reveal it either.
    found = client.get("/cit/cgi-bin/iquery.pl", {"case_name": "secret"}).content
    assert (b"Secret Importer" in found) is sees
    if not sees:
        assert AuditEvent.objects.filter(
            event_type=Event.ACCESS_DENIED, reason="sealed_case"
        ).exists()
        assert not AccessCharge.objects.exclude(description="Search").exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_pays_for_a_docket_report(cit_case, people, signed_in, persona):
    account = getattr(people, persona)
    signed_in(account).post(
        "/cit/cgi-bin/DktRpt.pl", {**DOCKET_FIELDS, "all_case_ids": str(cit_case.case.pk)}
    )
    charge = AccessCharge.objects.get()
    assert charge.account == account
    assert charge.free_reason == FREE.get(persona, "")
    assert charge.cost_cents == (0 if persona in FREE else charge.pages * 10)


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_pays_for_a_document(cit_case, people, signed_in, persona):
    client = signed_in(getattr(people, persona))
    response = client.post(f"/cit/doc1/{cit_case.summons.doc_id}", {"got_receipt": "1"})
    assert response["Content-Type"] == "application/pdf"
    charge = AccessCharge.objects.get()
    assert charge.cost_cents == (0 if persona in FREE else 10)


def test_the_sealed_case_is_closed_to_a_filer_whose_appearance_ended(
    sealed_case, people, signed_in
):
    sealed_case.parties.get().appearances.update(terminated_on="2026-01-01")
    response = signed_in(people.filer).get(f"/cit/cgi-bin/iquery.pl?{sealed_case.pk}")
    assert response.status_code == 200 and b"Case Under Seal." in response.content


def test_the_clerk_of_another_court_sees_nothing_sealed_here(sealed_case, people, signed_in):
    client = signed_in(people.other_clerk)
    response = client.get(f"/cit/cgi-bin/HistDocQry.pl?{sealed_case.pk}")
    assert response.status_code == 200 and b"Case Under Seal." in response.content


STRANGER_PAGES = [
    "/cit/cgi-bin/iquery.pl",
    "/cit/cgi-bin/iquery.pl?1",
    "/cit/cgi-bin/iquery.pl?case_name=acme",
    "/cit/cgi-bin/DktRpt.pl?1",
    "/cit/cgi-bin/HistDocQry.pl?1",
    "/cit/cgi-bin/iqquerymenu.pl?1",
    "/cit/cgi-bin/possible_case_numbers.pl?1:26-cv-00001",
    "/cit/cgi-bin/show_case_doc?1,1,,,",
    "/cit/cgi-bin/qrySummary.pl?1",
    "/cit/reports/",
    "/cit/cgi-bin/CaseFiled-Rpt.pl",
    "/cit/cgi-bin/WrtOpRpt.pl",
    "/cit/utilities/billing/",
    "/cit/utilities/transactions/",
]


@pytest.mark.parametrize("url", STRANGER_PAGES)
def test_a_stranger_is_sent_to_log_in(cit_case, url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/csologin/login/?")
    assert not AccessCharge.objects.exists()


def test_a_disabled_session_is_a_stranger(cit_case, people, signed_in):
    client = signed_in(people.public)
    people.public.is_active = False
    people.public.save()
    assert client.get(f"/cit/cgi-bin/DktRpt.pl?{cit_case.case.pk}").status_code == 302


def test_exemptions_and_client_codes(cit_case, people, court):
    from nextecf.accounts.factories import AccountFactory

    cja = AccountFactory(username="cjalawyer1", cja_eligible=True)
    client = Client()
    assert login(client, cja.username, client_code="matter-7").status_code == 302
    url = f"/cit/doc1/{cit_case.summons.doc_id}"
    client.post(url)
    paid = AccessCharge.objects.get()
    assert paid.client_code == "matter-7" and paid.cost_cents == 10
    assert client.post("/cit/utilities/exemption/", {"exempt": "yes"}).status_code == 200
    client.post(f"/cit/cgi-bin/DktRpt.pl?{cit_case.case.pk}", {"all_case_ids": cit_case.case.pk})
    exempt = AccessCharge.objects.latest("pk")
    assert exempt.free_reason == AccessCharge.Free.EXEMPT_SESSION and exempt.cost_cents == 0
    # The court-granted exemption needs no switch.
    granted = AccountFactory(username="probono01", fee_exempt=True)
    other = Client()
    login(other, granted.username)
    other.post(url)
    free = AccessCharge.objects.latest("pk")
    assert free.account == granted and free.free_reason == AccessCharge.Free.COURT_EXEMPT
    assert free.cost_cents == 0
