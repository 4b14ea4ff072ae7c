"""A filing in a lead case docketed in chosen consolidated member cases too: one submit,
one fee, an entry in each case (its own docket number, the same documents), one NEF that
lists every case, audited. A member case not consolidated with the lead, a closed one or a
sealed one the filer may not see is refused with one message, and nothing is filed."""

from __future__ import annotations

from datetime import date

import pytest

from nextecf.audit.models import AuditEvent, Event
from nextecf.billing.models import Payment, SandboxCharge
from nextecf.cases.factories import (
    AppearanceFactory,
    CaseFactory,
    DocketEntryFactory,
    PartyFactory,
)
from nextecf.cases.models import Case, DocketEntry, Party
from nextecf.courts.factories import FilerAccountFactory
from nextecf.filing import services
from nextecf.filing.models import Filing, FilingDraft
from nextecf.filing.services import (
    MEMBER_REFUSED,
    FilingRefused,
    draft_choose_members,
    filing_submit,
    member_case_choices,
)
from nextecf.filing.tests.conftest import GOOD_CARD, draft_of, pdf, upload
from nextecf.lib.actor import Actor
from nextecf.outbox.models import OutboundEmail


@pytest.fixture
def members(court, case) -> list[Case]:
    """Two member cases consolidated under `case`; the first already has two entries and
    its own counsel (another firm), noticed."""
    first = CaseFactory(court=court, title="Hai Phong Bearing Co. v. United States", lead_case=case)
    second = CaseFactory(court=court, title="Da Nang Rollers v. United States", lead_case=case)
    DocketEntryFactory(case=first, number=1, seq=1)
    DocketEntryFactory(case=first, number=2, seq=2)
    plaintiff = PartyFactory(case=first, name="Hai Phong Bearing Co.", position=0)
    other = FilerAccountFactory(
        court=court, first_name="Olga", last_name="Other", email="oother@firm.example"
    )
    AppearanceFactory(party=plaintiff, filer=other, lead=True, to_be_noticed=True)
    return [first, second]


def _to_docket_text(filer, events, case):
    response = filer.start_in_case(events["motion"], case.number)
    draft = filer.draft_id(response)
    filer.choose(draft, [case.parties.get(role=Party.Role.PLAINTIFF)])
    assert filer.upload(draft, main=upload("motion.pdf", pdf("Motion"))).status_code == 302
    return draft


def test_a_motion_in_the_lead_case_is_docketed_in_the_chosen_member_cases(
    people, as_filer, events, case, members, mailoutbox
):
    first, second = members
    filer = as_filer(people.filer)
    draft = _to_docket_text(filer, events, case)
    page = filer.client.get(filer.url(draft, "docket-text")).content.decode()
    # Labelled checkboxes in a fieldset, one per member case.
    assert "<legend>Also docket in these consolidated cases</legend>" in page
    for member in members:
        assert f'value="{member.pk}"' in page and f"{member.number} {member.title}" in page
    response = filer.client.post(
        filer.url(draft, "docket-text"),
        {"docket_text": "Motion to stay", "member_cases": [str(first.pk)]},
    )
    assert response.status_code == 302, response.content.decode()
    assert list(draft_of(draft).member_cases.all()) == [first]
    review = filer.client.get(filer.url(draft, "submit")).content.decode()
    assert "<h2>Also docketed in</h2>" in review and f"<li>{first.number} " in review
    assert second.number not in review
    assert filer.submit(draft).status_code == 302

    lead_entry = DocketEntry.objects.get(case=case, event=events["motion"])
    member_entry = DocketEntry.objects.get(case=first, event=events["motion"])
    assert not DocketEntry.objects.filter(case=second).exists()
    assert (lead_entry.number, member_entry.number, member_entry.seq) == (1, 3, 3)
    assert member_entry.text == lead_entry.text
    assert [d.sha256 for d in member_entry.documents.all()] == [
        d.sha256 for d in lead_entry.documents.all()
    ]
    filing = Filing.objects.get()
    assert filing.entry == lead_entry and list(filing.member_entries.all()) == [member_entry]
    audit = AuditEvent.objects.get(event_type=Event.FILING_SUBMITTED)
    assert audit.detail["also_docketed_in"] == [{"case": first.number, "entry": 3}]

    # One notice per address, to the counsel of both cases, listing both cases.
    emails = OutboundEmail.objects.filter(kind="nef")
    assert sorted(e.to for e in emails) == [
        "docketing@whitecase.example",
        "fmorgan@whitecase.example",
        "oother@firm.example",
    ]
    body = emails.get(to="oother@firm.example").html_body
    assert body.count("<strong>Case Name:</strong>") == 2
    assert case.title in body and first.title in body and second.title not in body
    assert f"{first.number} Notice has been electronically mailed to:" in body
    assert f"caseid={first.pk}&amp;de_seq_num=3" in body
    assert emails.first().subject.startswith("Activity in Cases ")

    # The receipt shows the same notice, both cases.
    receipt = filer.client.get(f"/cit/civil/receipt/{draft}/").content.decode()
    assert first.number in receipt and receipt.count("<strong>Case Name:</strong>") == 2


def test_the_fee_is_charged_once_for_every_case(people, as_filer, events, case, members):
    motion = events["motion"]
    motion.fee_cents = 5_000
    motion.save()
    filer = as_filer(people.filer)
    draft = _to_docket_text(filer, events, case)
    response = filer.client.post(
        filer.url(draft, "docket-text"),
        {"docket_text": "Motion to stay", "member_cases": [str(m.pk) for m in members]},
    )
    assert response.status_code == 302
    response = filer.submit(draft, GOOD_CARD, 5_000)
    assert response.status_code == 302, response.content.decode()
    assert DocketEntry.objects.filter(event=motion).count() == 3
    payment = Payment.objects.get()
    assert payment.amount_cents == 5_000 and payment.case_number == case.number
    assert SandboxCharge.objects.filter(status="approved").count() == 1


def _refused_choice(filer, draft, case_pk: int) -> None:
    response = filer.client.post(
        filer.url(draft, "docket-text"),
        {"docket_text": "Motion to stay", "member_cases": [str(case_pk)]},
    )
    assert response.status_code == 400
    assert "Also docket in: choose member cases consolidated with this case." in (
        response.content.decode()
    )
    assert not draft_of(draft).member_cases.exists()


def test_a_case_not_consolidated_with_the_lead_is_refused(
    people, as_filer, events, case, members, court
):
    stranger = CaseFactory(court=court)
    filer = as_filer(people.filer)
    draft = _to_docket_text(filer, events, case)
    _refused_choice(filer, draft, stranger.pk)
    _refused_choice(filer, draft, 999_999)
    _refused_choice(filer, draft, case.pk)  # the lead itself


def test_closed_and_sealed_members_are_not_offered_and_are_refused(
    people, as_filer, events, case, members
):
    first, second = members
    first.date_terminated = date(2026, 1, 5)
    first.save()
    second.is_sealed = True  # the filer is not of record in it
    second.save()
    filer = as_filer(people.filer)
    draft = _to_docket_text(filer, events, case)
    page = filer.client.get(filer.url(draft, "docket-text")).content.decode()
    assert "Also docket in" not in page and second.title not in page
    _refused_choice(filer, draft, first.pk)
    _refused_choice(filer, draft, second.pk)


def test_a_member_unconsolidated_before_the_submit_files_nothing(
    people, as_filer, events, case, members, nothing_filed
):
    motion = events["motion"]
    motion.fee_cents = 5_000
    motion.save()
    first, _ = members
    filer = as_filer(people.filer)
    draft = _to_docket_text(filer, events, case)
    response = filer.client.post(
        filer.url(draft, "docket-text"),
        {"docket_text": "Motion to stay", "member_cases": [str(first.pk)]},
    )
    assert response.status_code == 302
    Case.objects.filter(pk=first.pk).update(lead_case=None)
    response = filer.submit(draft, GOOD_CARD, 5_000)
    assert MEMBER_REFUSED in response.content.decode()
    nothing_filed()
    assert AuditEvent.objects.filter(event_type=Event.FILING_ERROR, reason="member_case").exists()


# --- The services themselves ---------------------------------------------------------------


@pytest.fixture
def motion_draft(people, as_filer, events, case) -> FilingDraft:
    filer = as_filer(people.filer)
    draft = _to_docket_text(filer, events, case)
    return draft_of(draft)


def test_member_case_choices_are_the_open_members_the_filer_may_file_in(
    motion_draft, members, people, court
):
    first, second = members
    CaseFactory(court=court)  # not consolidated
    account = motion_draft.signon.account
    assert member_case_choices(draft=motion_draft, account=account) == sorted(
        members, key=lambda c: c.number
    )
    second.is_sealed = True
    second.save()
    assert member_case_choices(draft=motion_draft, account=account) == [first]


def test_the_service_dockets_each_member_and_a_failure_after_leaves_nothing(
    motion_draft, members, monkeypatch, nothing_filed
):
    account = motion_draft.signon.account
    draft_choose_members(draft=motion_draft, account=account, case_ids=[m.pk for m in members])
    with pytest.raises(FilingRefused) as refused:
        draft_choose_members(draft=motion_draft, account=account, case_ids=[motion_draft.case_id])
    assert refused.value.field == "member_cases"
    assert set(motion_draft.member_cases.all()) == set(members)  # the refusal changed nothing

    # A failure after the member entries are written rolls all of them back.
    def broken(**kwargs):
        raise RuntimeError("mail queue down")

    monkeypatch.setattr(services, "nef_queue", broken)
    with pytest.raises(FilingRefused):
        filing_submit(draft_id=motion_draft.pk, signon=motion_draft.signon, actor=Actor())
    nothing_filed()
    monkeypatch.undo()

    outcome = filing_submit(draft_id=motion_draft.pk, signon=motion_draft.signon, actor=Actor())
    entries = list(outcome.filing.member_entries.order_by("case__number"))
    assert {e.case for e in entries} == set(members)
    assert {e.number for e in entries if e.case == members[1]} == {1}
    # A second submit of the same draft replays: no second set of entries.
    again = filing_submit(draft_id=motion_draft.pk, signon=motion_draft.signon, actor=Actor())
    assert again.replayed and DocketEntry.objects.count() == 2 + 3
