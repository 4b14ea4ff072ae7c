"""Notices of Electronic Filing: who gets one, what it says, the free looks it carries, and
that it goes out as one text/html part PACER tools can read."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.utils import timezone

from nextecf.cases.factories import AppearanceFactory, PartyFactory
from nextecf.cases.models import Document, Party
from nextecf.courts.factories import FilerAccountFactory
from nextecf.courts.models import NoticeAddress
from nextecf.filing.tests.conftest import pdf, upload
from nextecf.notices.models import FreeLook
from nextecf.notices.nef import (
    document_stamp,
    nef_context,
    nef_queue,
    nef_render,
    stamp_id,
    token_hash,
)
from nextecf.outbox.models import OutboundEmail

NOW = datetime(2026, 11, 24, 15, 7, tzinfo=timezone.get_fixed_timezone(-300))  # 3:07 PM EST


@pytest.fixture
def cast(case, court, filer_of_record):
    """Who represents whom in `case` (Ball Bearing v. United States), beyond the filer of
    record (plaintiff; primary + docketing@ secondary)."""
    plaintiff = case.parties.get(role="Plaintiff")
    defendant = case.parties.get(role="Defendant")
    for n in range(6):  # more than the five secondary addresses that count
        NoticeAddress.objects.create(filer=filer_of_record, email=f"extra{n}@whitecase.example")
    government = FilerAccountFactory(
        court=court,
        login="dierberg",
        first_name="Michael",
        last_name="Dierberg",
        email="michael.dierberg@usdoj.example",
    )
    AppearanceFactory(party=defendant, filer=government, lead=True, to_be_noticed=True)
    quiet = FilerAccountFactory(court=court, login="quiet", email="quiet@law.example")
    AppearanceFactory(party=plaintiff, filer=quiet, to_be_noticed=False)
    gone = FilerAccountFactory(court=court, login="gone", email="gone@law.example")
    AppearanceFactory(party=plaintiff, filer=gone, terminated_on=timezone.localdate())
    retired = FilerAccountFactory(
        court=court, login="retired", email="retired@law.example", is_active=False
    )
    intervenor = PartyFactory(
        case=case, name="Timken Company", role=Party.Role.INTERVENOR_DEFENDANT, position=2
    )
    AppearanceFactory(party=intervenor, filer=retired)
    PartyFactory(
        case=case,
        name="Old Party",
        role=Party.Role.AMICUS,
        terminated_on=timezone.localdate(),
        position=3,
    )
    return {"government": government, "intervenor": intervenor}


def file_motion(people, as_filer, events, case):
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_in_case(events["motion"], case.number))
    filer.choose(draft, [case.parties.get(role="Plaintiff")])
    filer.upload(draft, main=upload("motion-to-stay.pdf", pdf("Motion to stay", 2)))
    filer.upload(draft, attachment=upload("order.pdf", pdf("Order")), description="Proposed Order")
    filer.docket_text(draft, "Motion to stay. Filed by Frank Morgan of White & Case, LLP.")
    assert filer.submit(draft).status_code == 302
    return draft


@time_machine.travel(NOW, tick=False)
def test_every_noticed_filer_gets_an_nef_at_each_address_with_free_looks_of_its_own(
    people, as_filer, events, case, cast, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://ecf.cit.example"
    with django_capture_on_commit_callbacks(execute=True):
        file_motion(people, as_filer, events, case)
    emails = list(OutboundEmail.objects.filter(kind="nef").order_by("pk"))
    # Dierberg, then Morgan (primary + the first five secondary addresses); nobody else.
    assert [e.to for e in emails] == [
        "michael.dierberg@usdoj.example",
        "fmorgan@whitecase.example",
        "docketing@whitecase.example",
        "extra0@whitecase.example",
        "extra1@whitecase.example",
        "extra2@whitecase.example",
        "extra3@whitecase.example",
    ]
    assert all(e.status == "sent" and e.body == "" and e.html_body for e in emails)
    assert len(mailoutbox) == 7

    main, attachment = Document.objects.order_by("attachment_number")
    tokens: set[str] = set()
    for email in emails:
        links = re.findall(r'href="([^"]+/doc1/[^"]+)"', email.html_body)
        by_doc = {}
        for link in links:
            url = urlsplit(html.unescape(link))
            query = parse_qs(url.query)
            doc_id = url.path.rsplit("/", 1)[1]
            assert url.path == f"/cit/doc1/{doc_id}"
            assert query["caseid"] == [str(case.pk)] and query["de_seq_num"] == ["1"]
            by_doc.setdefault(doc_id, set()).update(query["magic_num"])
        assert set(by_doc) == {main.doc_id, attachment.doc_id}
        for doc_id, magic in by_doc.items():
            assert len(magic) == 1
            token = magic.pop()
            # CM/ECF's shape: 8 digits (real magic numbers have 5 to 8).
            assert re.fullmatch(r"[1-9]\d{7}", token)
            document = Document.objects.get(doc_id=doc_id)
            look = FreeLook.objects.get(token_hash=token_hash(document.pk, token))
            assert look.document.doc_id == doc_id
            assert (look.email, look.recipient, look.used_at) == (email, email.to, None)
            assert look.expires_at == NOW + timedelta(days=15)
            tokens.add(token)
    assert len(tokens) == 14  # two documents, seven addresses: every link its own
    # Only hashes are stored.
    assert not FreeLook.objects.filter(token_hash__in=tokens).exists()


@time_machine.travel(NOW, tick=False)
def test_the_nef_shows_every_field_of_a_cm_ecf_notice(
    people, as_filer, events, case, cast, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://ecf.cit.example"
    with django_capture_on_commit_callbacks(execute=True):
        file_motion(people, as_filer, events, case)
    email = OutboundEmail.objects.filter(kind="nef", to="fmorgan@whitecase.example").get()
    body = email.html_body
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())
    main, attachment = Document.objects.order_by("attachment_number")
    entry = main.entry

    assert email.subject == (
        f"Activity in Case {case.number} New Hampshire Ball Bearing, Inc. v. United States Motion"
    )
    assert "This is an automatic e-mail message generated by the CM/ECF system." in text
    assert "***NOTE TO PUBLIC ACCESS USERS*** Judicial Conference of the United States" in text
    assert "U.S. Court of International Trade Notice of Electronic Filing" in text
    assert (
        "The following transaction was entered by Morgan, Frank on 11/24/2026 at 3:07 PM EST "
        "and filed on 11/24/2026" in text
    )
    assert "Case Name: New Hampshire Ball Bearing, Inc. v. United States" in text
    assert (
        f'<a href="https://ecf.cit.example/cit/cgi-bin/DktRpt.pl?{case.pk}">{case.number}</a>'
        in body
    )
    assert "Filer: New Hampshire Ball Bearing, Inc." in text
    magic = re.search(r"magic_num=(\d+)", body)[1]
    assert (
        f'<td><strong>Document Number:</strong></td>\n<td>\n<a href="https://ecf.cit.example/cit/'
        f'doc1/{main.doc_id}?caseid={case.pk}&amp;de_seq_num=1&amp;magic_num={magic}">1</a>' in body
    )
    assert (
        "Docket Text: Motion to stay. Filed by Frank Morgan of White & Case, LLP. "
        "(Attachments: # 1 Proposed Order) (Morgan, Frank)" in text
    )
    assert (
        f"{case.number} Notice has been electronically mailed to: "
        "Michael Dierberg michael.dierberg@usdoj.example "
        "Frank Morgan fmorgan@whitecase.example, docketing@whitecase.example, "
        "extra0@whitecase.example, extra1@whitecase.example, extra2@whitecase.example, "
        f"extra3@whitecase.example {case.number} Notice has been delivered by other means to: "
        "Timken Company The following document(s)" in text
    )
    for absent in ("quiet@law.example", "gone@law.example", "retired@law.example", "Old Party"):
        assert absent not in body
    stamp = (
        f"[STAMP dcecfStamp_ID={stamp_id('cit')} [Date=11/24/2026] "
        f"[FileNumber={main.pk}-0] [{main.sha256}]]"
    )
    assert (
        "The following document(s) are associated with this transaction: "
        "Document description: Main Document Original filename: motion-to-stay.pdf "
        f"Electronic document Stamp: {stamp} "
        "Document description: Proposed Order Original filename: order.pdf "
        f"Electronic document Stamp: {document_stamp(attachment, entry)}" in text
    )
    assert f"[FileNumber={attachment.pk}-1] [{attachment.sha256}]]" in text


@time_machine.travel(NOW, tick=False)
def test_the_nef_is_sent_as_a_single_text_html_part(
    people, as_filer, events, case, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        file_motion(people, as_filer, events, case)
    sent = mailoutbox[0]
    message = sent.message()
    assert not message.is_multipart()
    assert message.get_content_type() == "text/html"
    assert not getattr(sent, "alternatives", [])
    assert "Notice of Electronic Filing" in sent.body


def test_without_documents_the_number_says_no_document_attached(people, events, case):
    from nextecf.cases.factories import DocketEntryFactory

    entry = DocketEntryFactory(case=case, text="Notice of consent to Electronic Service.")
    html_text = nef_render(nef_context(entry=entry))
    assert "1(No document attached)" in html_text
    assert "associated with this transaction" not in html_text


def test_nothing_is_queued_when_nobody_is_noticed(court, people, events):
    from nextecf.cases.factories import CaseFactory, DocketEntryFactory

    entry = DocketEntryFactory(case=CaseFactory(court=court))
    assert nef_queue(entry=entry) == []
    assert not OutboundEmail.objects.exists()


def test_a_mailbox_shared_by_two_filers_gets_one_notice(people, court, case, filer_of_record):
    from nextecf.cases.factories import DocketEntryFactory, DocumentFactory

    colleague = FilerAccountFactory(court=court, login="colleague", email="c@whitecase.example")
    NoticeAddress.objects.create(filer=colleague, email="DOCKETING@whitecase.example")
    AppearanceFactory(party=case.parties.get(role="Plaintiff"), filer=colleague)
    entry = DocketEntryFactory(case=case)
    DocumentFactory(entry=entry)
    emails = nef_queue(entry=entry)
    addresses = [e.to.lower() for e in emails]
    assert addresses.count("docketing@whitecase.example") == 1
    assert len(addresses) == len(set(addresses)) == 3


@time_machine.travel(NOW, tick=False)
def test_juriscraper_reads_our_nef(
    people, as_filer, events, case, cast, settings, mailoutbox, django_capture_on_commit_callbacks
):
    from juriscraper.pacer import email as email_module

    settings.SITE_URL = "https://ecf.cit.example"
    with django_capture_on_commit_callbacks(execute=True):
        file_motion(people, as_filer, events, case)
    raw = mailoutbox[1].message().as_string()  # Frank Morgan's
    report = email_module.S3NotificationEmail("cit")
    report._parse_text(raw)
    data = report.data
    docket = data["dockets"][0]
    assert docket["case_name"] == "New Hampshire Ball Bearing, Inc. v. United States"
    assert docket["docket_number"] == case.number
    entry = docket["docket_entries"][0]
    main = Document.objects.get(attachment_number=0)
    assert entry["document_number"] == "1"
    assert entry["pacer_case_id"] == str(case.pk) and entry["pacer_seq_no"] == "1"
    assert entry["pacer_magic_num"] and entry["date_filed"].isoformat() == "2026-11-24"
    assert entry["short_description"] == "Motion"
    assert entry["description"].startswith("Motion to stay. Filed by Frank Morgan")
    assert entry["pacer_doc_id"] == main.doc_id[:3] + "0" + main.doc_id[4:]
    assert data["contains_attachments"] is True
    recipients = {r["name"]: r["email_addresses"] for r in data["email_recipients"]}
    assert recipients["Michael Dierberg"] == ["michael.dierberg@usdoj.example"]
    assert recipients["Frank Morgan"][:2] == [
        "fmorgan@whitecase.example",
        "docketing@whitecase.example",
    ]
    assert len(recipients) == 2


def test_the_case_number_carries_the_judges_initials(people, case, filer_of_record):
    from nextecf.cases.factories import DocketEntryFactory, JudgeFactory

    case.judge = JudgeFactory(court=case.court, initials="GSK")
    case.save()
    entry = DocketEntryFactory(case=case)
    (email, *_) = nef_queue(entry=entry)
    assert email.subject.startswith(f"Activity in Case {case.number}-GSK New Hampshire")
    assert f">{case.number}-GSK</a>" in email.html_body
    assert f"{case.number}-GSK Notice has been electronically mailed to:" in email.html_body


@time_machine.travel(NOW, tick=False)
def test_each_filer_has_a_row_and_a_closed_case_carries_the_warning(
    people, as_filer, events, case, settings, mailoutbox, django_capture_on_commit_callbacks
):
    from juriscraper.pacer.email import S3NotificationEmail

    settings.SITE_URL = "https://ecf.cit.example"
    second = PartyFactory(
        case=case, name="Acme Bearings Corp.", role=Party.Role.PLAINTIFF, position=5
    )
    case.date_terminated = NOW.date() - timedelta(days=40)
    case.save()
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_in_case(events["motion"], case.number))
    filer.choose(draft, [case.parties.get(name="New Hampshire Ball Bearing, Inc."), second])
    filer.upload(draft, main=upload("motion.pdf", pdf("Motion to reopen", 1)))
    filer.docket_text(draft, "Motion to reopen.")
    with django_capture_on_commit_callbacks(execute=True):
        assert filer.submit(draft).status_code == 302
    body = OutboundEmail.objects.filter(kind="nef").first().html_body
    assert (
        "<tr><td><strong>Filer:</strong></td><td>New Hampshire Ball Bearing, Inc.</td></tr>\n"
        "<tr><td><strong>Filer:</strong></td><td>Acme Bearings Corp.</td></tr>\n"
        '<tr><td colspan="2"><strong><font color="red">WARNING: CASE CLOSED on 10/15/2026'
        "</font></strong></td></tr>\n"
    ) in body
    assert body.index("WARNING: CASE CLOSED") < body.index("Document Number:")
    # juriscraper reads the notice as before, field for field.
    parser = S3NotificationEmail("cit")
    parser._parse_text(mailoutbox[0].message().as_string())
    docket = parser.data["dockets"][0]
    assert (docket["case_name"], docket["docket_number"]) == (case.title, case.number)
    entry = docket["docket_entries"][0]
    assert entry["document_number"] == "1" and entry["description"].startswith("Motion to reopen")
    assert re.fullmatch(r"[1-9]\d{7}", entry["pacer_magic_num"])


def test_an_entry_without_a_filer_has_an_empty_filer_row_and_an_open_case_no_warning(people, case):
    from nextecf.cases.factories import DocketEntryFactory

    case.date_terminated = date(2026, 3, 1)
    case.date_reopened = date(2026, 4, 1)  # reopened since: open
    case.save()
    html_text = nef_render(nef_context(entry=DocketEntryFactory(case=case, filer=None)))
    assert "<tr><td><strong>Filer:</strong></td><td></td></tr>" in html_text
    assert "CASE CLOSED" not in html_text
