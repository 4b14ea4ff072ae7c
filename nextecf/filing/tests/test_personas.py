"""The persona matrix on the filing screens: only linked filers of this court file, each
only through their own drafts."""

from __future__ import annotations

import pytest
from django.test import Client

from nextecf.audit.models import AuditEvent, Event
from nextecf.filing.models import Filing, FilingDraft
from nextecf.filing.tests.conftest import GOOD_CARD, pdf, upload

PERSONAS = ["filer", "other_filer", "public", "clerk", "other_clerk", "shared", "legacy"]
# The filer of record and another filer of the court may file (into any case, for any party);
# nobody else may, and everybody else is told why.
MAY_FILE = {"filer": True, "other_filer": True}


def pages(events) -> list[str]:
    return [
        "/cit/civil/",
        f"/cit/civil/open/?event={events['summons'].pk}",
        f"/cit/civil/file/?event={events['complaint'].pk}",
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_reaches_the_civil_pages(people, signed_in, events, persona):
    client = signed_in(getattr(people, persona))
    allowed = MAY_FILE.get(persona, False)
    for page in pages(events):
        response = client.get(page)
        assert response.status_code == (200 if allowed else 403), page
    assert (b">Civil</a>" in client.get("/cit/utilities/").content) is allowed
    # Nobody is a filer in the other court.
    assert client.get("/ca9/civil/").status_code == 403


def test_a_stranger_is_sent_to_the_login(people, events):
    for page in pages(events):
        response = Client().get(page)
        assert response.status_code == 302
        assert response["Location"].startswith("/csologin/login/?")
    response = Client().post("/cit/civil/open/", {"event": events["summons"].pk})
    assert response.status_code == 302 and not FilingDraft.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_open_a_case_and_file_into_one(people, signed_in, events, case, persona):
    client = signed_in(getattr(people, persona))
    allowed = MAY_FILE.get(persona, False)
    opened = client.post(
        "/cit/civil/open/",
        {
            "event": events["summons"].pk,
            "plaintiffs": "Acme",
            "defendant": "United States",
            "jurisdiction": "1581a",
            "constitutional_question": "N",
        },
    )
    filed = client.post(
        "/cit/civil/file/", {"event": events["letter"].pk, "case_number": case.number}
    )
    for response in (opened, filed):
        assert response.status_code == (302 if allowed else 403)
    assert FilingDraft.objects.count() == (2 if allowed else 0)
    if not allowed:
        denied = AuditEvent.objects.filter(event_type=Event.ACCESS_DENIED, actor__isnull=False)
        assert denied.filter(detail__action="file").count() >= 2


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "filer"])
def test_only_the_drafts_owner_may_use_or_submit_it(people, as_filer, signed_in, events, persona):
    owner = as_filer(people.filer)
    draft = owner.draft_id(owner.start_open_case(events["summons"]))
    owner.upload(draft, main=upload("summons.pdf", pdf()))
    client = signed_in(getattr(people, persona))
    expected = 404 if MAY_FILE.get(persona) else 403
    for step in ("documents", "docket-text", "submit"):
        assert client.get(f"/cit/civil/draft/{draft}/{step}/").status_code == expected
    response = client.post(f"/cit/civil/draft/{draft}/submit/", {**GOOD_CARD, "fee_cents": "35000"})
    assert response.status_code == expected
    assert client.post(f"/cit/civil/draft/{draft}/cancel/", {"confirm": "yes"}).status_code in (
        302,
        403,
    )
    assert client.get(f"/cit/civil/draft/{draft}/cancel/").status_code == expected
    assert client.get(f"/cit/civil/draft/{draft}/documents/0/pdf/").status_code == expected
    assert client.get(f"/cit/civil/receipt/{draft}/").status_code == expected
    assert not Filing.objects.exists()
    assert FilingDraft.objects.filter(pk=draft).exists()
    # The owner still files it.
    assert owner.submit(draft, GOOD_CARD, 35000).status_code == 302


def test_a_stranger_cannot_submit(people, as_filer, events):
    owner = as_filer(people.filer)
    draft = owner.draft_id(owner.start_open_case(events["summons"]))
    owner.upload(draft, main=upload("summons.pdf", pdf()))
    response = Client().post(f"/cit/civil/draft/{draft}/submit/", GOOD_CARD)
    assert response.status_code == 302 and "/csologin/login/" in response["Location"]
    assert not Filing.objects.exists()


def test_a_filer_whose_court_account_is_deactivated_mid_filing_cannot_submit(
    people, as_filer, events, court
):
    owner = as_filer(people.filer)
    draft = owner.draft_id(owner.start_open_case(events["summons"]))
    owner.upload(draft, main=upload("summons.pdf", pdf()))
    people.filer.filer_accounts.filter(court=court).update(is_active=False)
    assert owner.submit(draft, GOOD_CARD, 35000).status_code == 403
    assert not Filing.objects.exists()
