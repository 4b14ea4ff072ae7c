"""Filing into an existing case: finding the case, the filing party and appearances,
documents and attachments, the docket text, the draft's life, and double submits."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from nextecf.cases.factories import AppearanceFactory, DocketEntryFactory
from nextecf.cases.models import Appearance, DocketEntry, Document, DocumentText
from nextecf.filing.models import Filing, FilingDraft, StagedUpload
from nextecf.filing.services import DOCKET_TEXT_MAX
from nextecf.filing.tests.conftest import (
    GOOD_CARD,
    Filer,
    pdf,
    staged_keys,
    upload,
)
from nextecf.lib.storage import document_store
from nextecf.outbox.models import OutboundEmail
from nextecf.search import Criteria, court_text_search


@pytest.mark.parametrize(
    "typed", ["1:{y}-cv-00001", "{y}-00001", "{y}-1", " 1:{y}-CV-00001 ", "1:{y}-cv-00001-GSK"]
)
def test_the_case_is_found_by_any_usual_form_of_its_number(people, as_filer, events, case, typed):
    year = case.number[2:4]
    filer = as_filer(people.filer)
    response = filer.start_in_case(events["complaint"], typed.format(y=year))
    assert response.status_code == 302, response.content.decode()
    draft = FilingDraft.objects.get(pk=filer.draft_id(response))
    assert draft.case == case and draft.event == events["complaint"]


def test_the_first_filing_for_a_party_records_the_filers_appearance(
    people, as_filer, events, case, court
):
    defendant = case.parties.get(role="Defendant")
    filer = as_filer(people.other_filer)
    draft = filer.draft_id(filer.start_in_case(events["form11"], case.number))
    page = filer.client.get(filer.url(draft, "parties")).content.decode()
    assert "United States (Defendant)" in page and "LEAD ATTORNEY" in page
    assert filer.choose(draft, [defendant], lead=False, notice=True).status_code == 302
    filer.upload(draft, main=upload("form11.pdf", pdf("Form 11")))
    assert filer.submit(draft).status_code == 302
    me = people.other_filer.filer_accounts.get(court=court)
    appearance = Appearance.objects.get(party=defendant)
    assert appearance.filer == me
    assert (appearance.lead, appearance.to_be_noticed, appearance.terminated_on) == (
        False,
        True,
        None,
    )
    entry = DocketEntry.objects.get()
    assert (entry.number, entry.seq) == (1, 1)
    assert entry.text.startswith("Form 11 Notice of Appearance. Filed by ")
    assert "on behalf of United States." in entry.text

    # A second filing for the same party changes nothing about the appearance.
    filer.file(events["answer"], case, [defendant])
    assert Appearance.objects.filter(party=defendant).count() == 1
    assert list(DocketEntry.objects.values_list("number", "seq")) == [(1, 1), (2, 2)]


def test_a_terminated_attorney_filing_again_appears_again(people, as_filer, events, case, court):
    defendant = case.parties.get(role="Defendant")
    me = people.other_filer.filer_accounts.get(court=court)
    AppearanceFactory(party=defendant, filer=me, terminated_on=timezone.localdate())
    as_filer(people.other_filer).file(events["motion"], case, [defendant])
    appearance = Appearance.objects.get(party=defendant, filer=me)
    assert appearance.terminated_on is None and appearance.to_be_noticed


def test_entries_continue_after_the_courts_own(people, as_filer, events, case):
    DocketEntryFactory(case=case)  # 1
    DocketEntryFactory(case=case, number=None)  # a minute entry: seq 2, no number
    plaintiff = case.parties.get(role="Plaintiff")
    as_filer(people.filer).file(events["complaint"], case, [plaintiff])
    latest = DocketEntry.objects.order_by("-seq").first()
    assert (latest.number, latest.seq) == (2, 3)


def test_attachments_are_numbered_described_and_listed_in_the_docket_text(
    people, as_filer, events, case, django_capture_on_commit_callbacks
):
    plaintiff = case.parties.get(role="Plaintiff")
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_in_case(events["motion"], case.number))
    filer.choose(draft, [plaintiff])
    assert filer.upload(draft, main=upload("motion.pdf", pdf("Motion", 3))).status_code == 302
    for name, description in [("a.pdf", "Exhibit A"), ("b.pdf", "Exhibit B"), ("o.pdf", "Order")]:
        response = filer.upload(draft, attachment=upload(name, pdf(name)), description=description)
        assert response.status_code == 302
    # Removing attachment 2 moves the next one up.
    # Asked first: Remove shows the question; only its Yes removes.
    question = filer.client.get(filer.url(draft, "documents"), {"remove": "2"}).content.decode()
    assert "Remove attachment 2, b.pdf?" in question and "Yes, remove it" in question
    assert StagedUpload.objects.filter(draft_id=draft).count() == 4
    unconfirmed = filer.client.post(filer.url(draft, "documents"), {"remove": "2"})
    assert unconfirmed.status_code == 302 and unconfirmed["Location"].endswith("?remove=2")
    assert StagedUpload.objects.filter(draft_id=draft).count() == 4
    removed = filer.client.post(filer.url(draft, "documents"), {"remove": "2", "confirm": "yes"})
    assert removed.status_code == 302
    staged = list(
        StagedUpload.objects.filter(draft_id=draft).values_list("position", "description")
    )
    assert staged == [(0, "Main Document"), (1, "Exhibit A"), (2, "Order")]
    # Replacing the main document keeps one main document.
    filer.upload(draft, main=upload("motion2.pdf", pdf("Motion v2", 2)))
    with django_capture_on_commit_callbacks(execute=True):
        assert filer.submit(draft).status_code == 302
    documents = list(Document.objects.values_list("attachment_number", "description", "pages"))
    assert documents == [(0, "Main Document", 2), (1, "Exhibit A", 1), (2, "Order", 1)]
    text = DocketEntry.objects.get().text
    assert "(Attachments: # 1 Exhibit A, # 2 Order)" in text
    assert len(set(document_store().keys())) == 3
    assert staged_keys() == set()


def test_the_filer_edits_the_docket_text_within_limits(people, as_filer, events, case):
    plaintiff = case.parties.get(role="Plaintiff")
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_in_case(events["motion"], case.number))
    filer.choose(draft, [plaintiff])
    filer.upload(draft, main=upload("motion.pdf", pdf()))
    page = filer.client.get(filer.url(draft, "docket-text")).content.decode()
    assert "Motion. Filed by Frank Morgan of White &amp; Case, LLP on behalf of" in page
    assert "on behalf of New Hampshire Ball Bearing, Inc.</textarea>" in page  # not "Inc.."
    # The event's own words must stay.
    response = filer.docket_text(draft, "Letter to the court <b>bold</b>")
    assert response.status_code == 400
    assert "must contain the event&#x27;s text &quot;Motion&quot;" in response.content.decode()
    response = filer.docket_text(draft, "x" * (DOCKET_TEXT_MAX - 5) + " Motion")
    assert response.status_code == 400 and "at most 1000 characters" in response.content.decode()
    good = "Consent  MOTION to stay\r\nproceedings <pending> remand. Filed by Frank Morgan."
    assert filer.docket_text(draft, good).status_code == 302
    submit_page = filer.client.get(filer.url(draft, "submit")).content.decode()
    assert "Consent MOTION to stay proceedings &lt;pending&gt; remand." in submit_page
    assert filer.submit(draft).status_code == 302
    assert DocketEntry.objects.get().text == (
        "Consent MOTION to stay proceedings <pending> remand. Filed by Frank Morgan. "
        "(Morgan, Frank)"
    )


def test_back_and_refresh_are_harmless(people, as_filer, events, case):
    plaintiff = case.parties.get(role="Plaintiff")
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_in_case(events["reply"], case.number))
    filer.choose(draft, [plaintiff])
    filer.upload(draft, main=upload("reply.pdf", pdf()))
    # Going back to earlier screens shows them filled in and changes nothing.
    for step in ("parties", "documents", "docket-text", "submit"):
        assert filer.client.get(filer.url(draft, step)).status_code == 200
    assert StagedUpload.objects.filter(draft_id=draft).count() == 1
    assert filer.submit(draft).status_code == 302
    # After the filing every screen of the draft leads to its receipt.
    for step in ("parties", "documents", "docket-text", "submit"):
        response = filer.client.get(filer.url(draft, step))
        assert response.status_code == 302
        assert response["Location"] == f"/cit/civil/receipt/{draft}/"
    assert DocketEntry.objects.count() == 1


def test_submitting_the_same_draft_twice_files_once(
    people, as_filer, events, django_capture_on_commit_callbacks
):
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_open_case(events["summons"]))
    filer.upload(draft, main=upload("summons.pdf", pdf()))
    with django_capture_on_commit_callbacks(execute=True):
        first = filer.submit(draft, GOOD_CARD, 35000)
        second = filer.submit(draft, GOOD_CARD, 35000)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/cit/civil/receipt/{draft}/"
    assert Filing.objects.count() == DocketEntry.objects.count() == 1
    from nextecf.billing.models import Payment, SandboxCharge

    assert Payment.objects.count() == SandboxCharge.objects.count() == 1
    assert OutboundEmail.objects.count() == 1


def test_a_second_tab_waits_for_the_first_submit_and_then_gets_its_receipt(
    people, as_filer, events, settings
):
    settings.FILING_SUBMIT_WAIT_SECONDS = 0
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_open_case(events["summons"]))
    filer.upload(draft, main=upload("summons.pdf", pdf()))
    # Another request holds the draft (its submit is under way).
    FilingDraft.objects.filter(pk=draft).update(
        submitting_until=timezone.now() + timedelta(minutes=1)
    )
    response = filer.submit(draft, GOOD_CARD, 35000)
    assert response.status_code == 400
    assert "being submitted from another window" in response.content.decode()
    assert not Filing.objects.exists()
    # A hold whose process died runs out; then the filing goes through.
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert filer.submit(draft, GOOD_CARD, 35000).status_code == 302
    assert Filing.objects.count() == 1


def test_a_draft_belongs_to_its_filer_not_to_another(people, as_filer, events, case, signed_in):
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_in_case(events["letter"], case.number))
    # The same person in another sign-on resumes it (nextecf/filing/tests/test_drafts.py);
    # another filer sees no such draft.
    for client in (signed_in(people.other_filer),):
        for step in ("parties", "documents", "docket-text", "submit"):
            response = client.get(f"/cit/civil/draft/{draft}/{step}/")
            assert response.status_code == 404
            assert "Filing not found" in response.content.decode()
        assert client.post(f"/cit/civil/draft/{draft}/submit/").status_code == 404
    assert not Filing.objects.exists()


def test_an_expired_draft_is_gone(people, as_filer, events, case):
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_in_case(events["letter"], case.number))
    FilingDraft.objects.filter(pk=draft).update(expires_at=timezone.now())
    assert filer.client.get(filer.url(draft, "parties")).status_code == 404
    assert filer.client.post(filer.url(draft, "submit")).status_code == 404


def test_cancel_deletes_the_draft_and_its_staged_files(people, as_filer, events, case):
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_in_case(events["letter"], case.number))
    filer.choose(draft, [case.parties.first()])
    filer.upload(draft, main=upload("letter.pdf", pdf("Letter")))
    assert len(staged_keys()) == 1
    # Asked first, on a page of its own; "No" goes back to the step the filer came from.
    question = filer.client.get(filer.url(draft, "cancel"), {"back": "filing_docket_text"})
    page = question.content.decode()
    assert question.status_code == 200 and "Cancel this filing?" in page
    assert "its 1 uploaded document" in page and f'href="{filer.url(draft, "docket-text")}"' in page
    odd_back = filer.client.get(filer.url(draft, "cancel"), {"back": "../../admin"})
    assert f'href="{filer.url(draft, "documents")}"' in odd_back.content.decode()
    unconfirmed = filer.client.post(filer.url(draft, "cancel"))
    assert unconfirmed.status_code == 302 and unconfirmed["Location"] == filer.url(draft, "cancel")
    assert FilingDraft.objects.exists() and len(staged_keys()) == 1
    response = filer.client.post(filer.url(draft, "cancel"), {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == "/cit/civil/"
    assert not FilingDraft.objects.exists() and staged_keys() == set()


def test_an_uploaded_pdf_can_be_previewed_inline_by_its_filer_only(
    people, as_filer, events, case, signed_in
):
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_in_case(events["letter"], case.number))
    filer.choose(draft, [case.parties.first()])
    data = pdf("Letter")
    filer.upload(draft, main=upload("letter.pdf", data))
    page = filer.client.get(filer.url(draft, "documents")).content.decode()
    assert f'href="{filer.url(draft, "documents")}0/pdf/" target="_blank"' in page
    response = filer.client.get(f"{filer.url(draft, 'documents')}0/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == data
    assert filer.client.get(f"{filer.url(draft, 'documents')}7/pdf/").status_code == 404
    assert filer.client.post(f"{filer.url(draft, 'documents')}0/pdf/").status_code == 405
    # Another person (even another filer of this court) never sees it.
    other = signed_in(people.other_filer)
    assert other.get(f"{filer.url(draft, 'documents')}0/pdf/").status_code == 404


def test_documents_need_the_parties_chosen_first(people, as_filer, events, case):
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_in_case(events["letter"], case.number))
    response = filer.client.get(filer.url(draft, "documents"))
    assert response.status_code == 302 and response["Location"].endswith("/parties/")


def test_a_party_terminated_before_submit_is_refused(people, as_filer, events, case):
    defendant = case.parties.get(role="Defendant")
    filer = as_filer(people.other_filer)
    draft = filer.draft_id(filer.start_in_case(events["answer"], case.number))
    filer.choose(draft, [defendant])
    filer.upload(draft, main=upload("answer.pdf", pdf()))
    defendant.terminated_on = timezone.localdate()
    defendant.save()
    response = filer.submit(draft)
    assert response.status_code == 400
    assert "a party you chose is no longer in the case" in response.content.decode()
    assert (
        not DocketEntry.objects.exists() and not Appearance.objects.filter(party=defendant).exists()
    )
    assert set(document_store().keys()) == set()


def test_a_sealed_case_is_only_for_its_attorneys(people, as_filer, events, case):
    case.is_sealed = True
    case.save()
    outsider = as_filer(people.other_filer).start_in_case(events["letter"], case.number)
    assert outsider.status_code == 404
    assert f"there is no case {case.number} in this court" in outsider.content.decode()
    assert as_filer(people.filer).start_in_case(events["letter"], case.number).status_code == 302


def test_a_fee_changed_after_the_review_is_shown_again(people, as_filer, events, nothing_filed):
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_open_case(events["summons"]))
    filer.upload(draft, main=upload("summons.pdf", pdf()))
    events["summons"].fee_cents = 40000
    events["summons"].save()
    response = filer.submit(draft, GOOD_CARD, 35000)  # the amount the page showed
    assert response.status_code == 400
    assert "The fee for this event is now $400.00" in response.content.decode()
    nothing_filed()
    assert filer.submit(draft, GOOD_CARD, 40000).status_code == 302


def test_an_event_withdrawn_by_staff_cannot_be_filed(people, as_filer, events, case):
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_in_case(events["letter"], case.number))
    filer.choose(draft, [case.parties.first()])
    filer.upload(draft, main=upload("letter.pdf", pdf()))
    events["letter"].is_active = False
    events["letter"].save()
    response = filer.submit(draft)
    assert response.status_code == 400
    assert "Event: this event can no longer be filed." in response.content.decode()
    assert not DocketEntry.objects.exists()


def test_filers_of_other_cases_get_no_draft_for_a_case_of_another_court(
    people, as_filer, events, other_court
):
    from nextecf.cases.factories import CaseFactory

    elsewhere = CaseFactory(court=other_court)
    response = as_filer(people.filer).start_in_case(events["letter"], elsewhere.number)
    assert response.status_code == 404  # numbers are per court: no such case here
    assert not FilingDraft.objects.exists()


def test_the_filer_helper_files(people, as_filer, events, case):
    # Guards the helper the other tests rely on.
    assert isinstance(as_filer(people.filer), Filer)


def test_documents_cannot_change_while_the_filing_is_being_submitted(
    people, as_filer, events, case
):
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_in_case(events["letter"], case.number))
    filer.choose(draft, [case.parties.first()])
    filer.upload(draft, main=upload("letter.pdf", pdf()))
    FilingDraft.objects.filter(pk=draft).update(
        submitting_until=timezone.now() + timedelta(minutes=1)
    )
    for response in (
        filer.upload(draft, attachment=upload("late.pdf", pdf("late")), description="Late"),
        filer.client.post(filer.url(draft, "documents"), {"remove": "0", "confirm": "yes"}),
    ):
        assert response.status_code == 400
        assert "its documents can no longer be changed" in response.content.decode()
    assert list(StagedUpload.objects.filter(draft_id=draft).values_list("position", flat=True)) == [
        0
    ]


def test_a_filed_pdfs_words_are_searchable_once_the_filing_commits(
    people, as_filer, events, case, django_capture_on_commit_callbacks
):
    plaintiff = case.parties.get(role="Plaintiff")
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_in_case(events["motion"], case.number))
    filer.choose(draft, [plaintiff])
    filer.upload(draft, main=upload("motion.pdf", pdf("Motion concerning quinacridone pigments")))
    with django_capture_on_commit_callbacks(execute=True):
        assert filer.submit(draft).status_code == 302
    document = Document.objects.get()
    layer = DocumentText.objects.get(document=document)
    assert layer.status == DocumentText.Status.TEXT and "quinacridone" in layer.text
    result = court_text_search(
        user=people.public, court=case.court, criteria=Criteria(text="quinacridone pigment")
    )
    assert [hit.document for hit in result.found if hit.document] == [document]
