"""Opening a case by filing a Summons, from the Civil menu to the receipt."""

from __future__ import annotations

import hashlib
from datetime import datetime

import time_machine
from django.utils import timezone

from nextecf.audit.models import AuditEvent, Event
from nextecf.billing.models import Payment, SandboxCharge
from nextecf.cases.models import Appearance, Case, CaseSequence, DocketEntry, Document, Party
from nextecf.filing.models import Filing, FilingDraft
from nextecf.filing.tests.conftest import GOOD_CARD, pdf, staged_keys, upload
from nextecf.lib.storage import document_store
from nextecf.outbox.models import OutboundEmail

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.get_fixed_timezone(-300))


def test_the_civil_menu_lists_open_a_new_case_and_other_filings(people, signed_in, events):
    page = signed_in(people.filer).get("/cit/civil/").content.decode()
    assert "<h1>Civil Events</h1>" in page
    assert "Open a New Case" in page and "Other Filings" in page
    open_part, other_part = page.split("Other Filings", 1)
    assert f"/cit/civil/open/?event={events['summons'].pk}" in open_part
    assert "Summons</a> (fee $350.00)" in open_part
    for code in (
        "complaint",
        "form5",
        "form11",
        "form13",
        "answer",
        "motion",
        "response",
        "reply",
        "proposed-order",
        "stipulation",
        "consent-eservice",
        "letter",
    ):
        assert f'/cit/civil/file/?event={events[code].pk}"' in other_part, code
    # Court-only events are never offered to filers.
    assert f'event={events["order"].pk}"' not in page
    assert f'event={events["opinion"].pk}"' not in page


@time_machine.travel(NOW, tick=False)
def test_a_summons_opens_a_case_numbered_in_the_cit_format(
    people, as_filer, events, court, django_capture_on_commit_callbacks, mailoutbox
):
    filer = as_filer(people.filer)
    with django_capture_on_commit_callbacks(execute=True):
        draft = filer.open_case(
            events["summons"],
            plaintiffs="Acme Bearings Corp.\nBeta Steel LLC",
            constitutional_question="Y",
            lead="",
        )
    case = Case.objects.get()
    assert case.number == "1:26-cv-00001"
    assert (case.year, case.sequence) == (2026, 1)
    assert CaseSequence.objects.get(court=court, year=2026).last == 1
    assert case.title == "Acme Bearings Corp. et al. v. United States"
    assert case.jurisdiction == "1581a" and case.constitutional_question is True
    assert case.agency == "U.S. Customs and Border Protection"
    assert (case.product_description, case.export_country) == ("Ball bearings", "Japan")
    assert case.date_filed.isoformat() == "2026-11-24"
    parties = list(case.parties.values_list("name", "role"))
    assert parties == [
        ("Acme Bearings Corp.", "Plaintiff"),
        ("Beta Steel LLC", "Plaintiff"),
        ("United States", "Defendant"),
    ]
    me = people.filer.filer_accounts.get(court=court)
    appearances = Appearance.objects.filter(filer=me)
    assert sorted(a.party.name for a in appearances) == ["Acme Bearings Corp.", "Beta Steel LLC"]
    assert all(not a.lead and a.to_be_noticed for a in appearances)  # as ticked

    entry = DocketEntry.objects.get()
    assert (entry.case, entry.number, entry.seq) == (case, 1, 1)
    assert entry.event == events["summons"] and entry.filer == me
    assert entry.text.startswith("Summons. Filed by ")
    assert entry.text.endswith(
        f"on behalf of Acme Bearings Corp., Beta Steel LLC. ({me.last_name}, {me.first_name})"
    )
    document = Document.objects.get()
    data = document_store().read(document.storage_key)
    assert document.sha256 == hashlib.sha256(data).hexdigest() == document.storage_key
    assert (document.attachment_number, document.pages) == (0, 1)
    assert document.original_filename == "summons.pdf"
    assert document.doc_id.startswith("014")

    payment = Payment.objects.get()
    assert (payment.case_number, payment.amount_cents, payment.status) == (
        "1:26-cv-00001",
        35000,
        "completed",
    )
    assert payment.receipt_number.startswith("ACIT-")
    assert payment.idempotency_key == draft and payment.card_last4 == "1111"
    charge = SandboxCharge.objects.get()
    assert (charge.idempotency_key, charge.status) == (draft, "approved")
    assert payment.gateway_reference == charge.reference

    filing = Filing.objects.get()
    assert (filing.draft_id, filing.entry, filing.payment) == (draft, entry, payment)
    assert filing.opened_case and list(filing.parties.all()) == list(
        case.parties.filter(role="Plaintiff")
    )
    assert FilingDraft.objects.get(pk=draft).submitted_at is not None
    assert staged_keys() == set()  # the staged copy went once the filing committed

    audit = AuditEvent.objects.get(event_type=Event.FILING_SUBMITTED)
    assert audit.actor == people.filer and audit.detail["case"] == "1:26-cv-00001"
    assert AuditEvent.objects.get(event_type=Event.PAYMENT).outcome == "success"
    # The filer, now the plaintiffs' attorney, gets the NEF.
    assert [e.to for e in OutboundEmail.objects.filter(kind="nef")] == [me.email]
    assert len(mailoutbox) == 1 and mailoutbox[0].subject == (
        "Activity in Case 1:26-cv-00001 Acme Bearings Corp. et al. v. United States Summons"
    )


@time_machine.travel(NOW, tick=False)
def test_the_receipt_is_the_nef_without_free_look_links(people, as_filer, events):
    filer = as_filer(people.filer)
    draft = filer.open_case(events["summons"])
    page = filer.client.get(f"/cit/civil/receipt/{draft}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Notice of Electronic Filing" in html
    assert "1:26-cv-00001" in html
    document = Document.objects.get()
    assert f"/cit/doc1/{document.doc_id}?caseid={document.entry.case_id}&amp;de_seq_num=1" in html
    assert "magic_num" not in html
    assert Payment.objects.get().receipt_number in html
    # Nobody else sees my receipt.
    other = as_filer(people.other_filer)
    assert other.client.get(f"/cit/civil/receipt/{draft}/").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_the_payment_appears_in_internet_payment_history(people, as_filer, events):
    filer = as_filer(people.filer)
    filer.open_case(events["summons"])
    payment = Payment.objects.get()
    page = filer.client.get("/cit/utilities/payments/").content.decode()
    assert "1:26-cv-00001" in page and payment.receipt_number in page and "$350.00" in page


def test_cases_opened_one_after_another_get_consecutive_numbers(people, as_filer, events):
    filer = as_filer(people.filer)
    other = as_filer(people.other_filer)
    for who in (filer, other, filer):
        who.open_case(events["summons"])
    year = timezone.localdate().year % 100
    assert sorted(Case.objects.values_list("number", flat=True)) == [
        f"1:{year:02d}-cv-0000{n}" for n in (1, 2, 3)
    ]


def test_a_filing_without_a_fee_charges_nothing(people, as_filer, events, case):
    events["summons"].fee_cents = 0
    events["summons"].save()
    filer = as_filer(people.filer)
    response = filer.start_open_case(events["summons"])
    draft = filer.draft_id(response)
    filer.upload(draft, main=upload("summons.pdf", pdf()))
    page = filer.client.get(filer.url(draft, "submit")).content.decode()
    assert "Card number" not in page
    assert filer.submit(draft).status_code == 302
    assert not Payment.objects.exists() and not SandboxCharge.objects.exists()
    assert Filing.objects.get().payment is None


def test_the_case_data_form_names_every_problem(people, as_filer, events, nothing_filed):
    filer = as_filer(people.filer)
    response = filer.start_open_case(
        events["summons"],
        plaintiffs="",
        jurisdiction="1581z",
        constitutional_question="maybe",
        defendant="",
    )
    assert response.status_code == 400
    page = response.content.decode()
    for message in (
        "Enter the name of at least one plaintiff.",
        "Enter the defendant (usually United States).",
        "Choose one of the listed subsections.",
        "Answer Yes or No.",
    ):
        assert message in page, message
    assert not FilingDraft.objects.exists()
    nothing_filed()


def test_the_defendant_defaults_to_the_united_states(people, as_filer, events):
    page = as_filer(people.filer).client.get(f"/cit/civil/open/?event={events['summons'].pk}")
    assert page.status_code == 200
    assert 'value="United States"' in page.content.decode()


def test_party_names_with_control_characters_are_refused(people, as_filer, events):
    response = as_filer(people.filer).start_open_case(
        events["summons"], plaintiffs="Acme\x07 Corp."
    )
    assert response.status_code == 400
    assert "Names may not contain control characters." in response.content.decode()


def test_an_open_case_draft_skips_the_party_screen(people, as_filer, events):
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_open_case(events["summons"]))
    response = filer.client.get(filer.url(draft, "parties"))
    assert response.status_code == 302 and response["Location"].endswith("/documents/")


def test_card_declined_then_a_good_card_files_once(people, as_filer, events, nothing_filed):
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_open_case(events["summons"]))
    filer.upload(draft, main=upload("summons.pdf", pdf()))
    declined = filer.submit(draft, {**GOOD_CARD, "card_number": "4000000000000002"}, 35000)
    assert declined.status_code == 400
    assert "Payment: card declined: insufficient funds." in declined.content.decode()
    nothing_filed()
    assert filer.submit(draft, GOOD_CARD, 35000).status_code == 302
    assert SandboxCharge.objects.count() == 1 and Payment.objects.count() == 1
    assert Party.objects.filter(case__number__endswith="00001").count() == 2
